import { activationQuantization, QatkitError } from '@qatkit/core';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTflite } from '../reader/read-tflite.js';
import { buildNet } from '../test-utils/build-net.js';
import { floatError } from '../test-utils/compare.js';
import { ACT, NetBuilder, type Net } from '../test-utils/net-builder.js';
import { exportTflite } from './export-tflite.js';

/** Float graphs as float files, and graphs quantized only in part (QUANTIZE / DEQUANTIZE between). */

const floatNet = (): Net => buildNet('float', [1, 6, 6, 2], [{ kind: 'conv', filters: 3, kernel: [3, 3] }, { kind: 'flatten' }, { kind: 'dense', units: 4 }], 2, 4, true);

/** float conv → QUANTIZE → int8 ReLU6 → int8 Mean → DEQUANTIZE → float Tanh. */
function partlyQuantized(): Net {
  const nb = new NetBuilder('partly', true, 9);
  const x = nb.input([1, 6, 6, 2], [-2, 2]);
  const w = nb.weights('conv', [3, 3, 3, 2], 0, 18);
  const conv = nb.op('Conv2D', 'conv', [x, w, nb.bias('conv', 3, x, w)], { strides: [1, 1], dilations: [1, 1], padding: 'same', activation: 'none' });
  nb.float = false;
  const q = nb.op('Quantize', 'q', [conv], {}, { output: activationQuantization(-3, 3, ACT) });
  const r = nb.op('Relu6', 'r', [q], {}, { output: activationQuantization(0, 3, ACT) });
  const mean = nb.op('Mean', 'mean', [r], { axes: [1, 2], keepDims: false });
  const d = nb.op('Dequantize', 'd', [mean], {});
  nb.float = true;
  return nb.build([nb.op('Tanh', 'tanh', [d], {})]);
}

function refusal(net: Net, io: 'int8' | 'uint8'): QatkitError {
  try {
    exportTflite(net.graph, { io });
  } catch (e) {
    if (e instanceof QatkitError) return e;
    throw e;
  }
  throw new Error('exportTflite accepted the graph');
}

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

describe('float export', () => {
  it('writes float32 I/O without QUANTIZE / DEQUANTIZE, whatever the default io', () => {
    const sg = readTflite(exportTflite(floatNet().graph)).subgraphs[0]!;
    expect(sg.operators.map((o) => o.opcode)).toEqual(['CONV_2D', 'RESHAPE', 'FULLY_CONNECTED']);
    expect([sg.tensors[sg.inputs[0]!]!.type, sg.tensors[sg.outputs[0]!]!.type]).toEqual(['FLOAT32', 'FLOAT32']);
    expect(exportTflite(floatNet().graph, { io: 'float32' })).toEqual(exportTflite(floatNet().graph));
  });

  it.each(['uint8', 'int8'] as const)('refuses io %s for a float graph, saying why', (io) => {
    const e = refusal(floatNet(), io);
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toBe(
      `graph input "input" is float32 (a float model, or a float edge of a partly quantized one); io '${io}' needs quantized int8 inputs ` +
        "and outputs to wrap. Export float models with io 'float32' (the default)",
    );
  });

  it('runs on LiteRT like the reference', async () => {
    expect(await floatError(rt, floatNet())).toBeLessThan(1e-5);
  });

  it('a partly quantized graph runs on LiteRT; its int8 middle keeps the int8 versions', async () => {
    const net = partlyQuantized();
    const sg = readTflite(exportTflite(net.graph)).subgraphs[0]!;
    expect(sg.operators.map((o) => [o.opcode, o.version])).toEqual([
      ['CONV_2D', 1], ['QUANTIZE', 1], ['RELU6', 2], ['MEAN', 2], ['DEQUANTIZE', 2], ['TANH', 1],
    ]);
    // The int8 MEAN may round differently from the reference by one step of its output (about
    // 3 / 255 before tanh); anything beyond means a wrong op.
    expect(await floatError(rt, net)).toBeLessThan(0.02);
  });
});
