import { dequantize, quantize, type Graph, type Quantization } from '@qatkit/core';
import { loadLiteRt, type LiteRt, type RunnerTensor } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { allOpsNet, buildNet, smallCnn, type Net } from '../test-utils/build-net.js';
import { runReference } from '../test-utils/reference.js';
import { exportTflite } from './export-tflite.js';

/**
 * End-to-end: exported models run in Google's LiteRT (wasm) and agree with a float reference
 * that uses the dequantized weights and snaps activations to their quantization grid.
 */

const uint8Of = (q: Quantization): Quantization => ({ ...q, zeroPoint: q.zeroPoint.map((z) => z + 128), signed: false });

function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

async function runAll(graph: Graph, io: 'float32' | 'uint8' | 'int8', samples: Float32Array[]): Promise<Float32Array[]> {
  const model = await rt.compile(exportTflite(graph, { io }));
  try {
    const input = graph.tensors[graph.inputs[0]!]!;
    const output = graph.tensors[graph.outputs[0]!]!;
    return samples.map((x) => {
      const shape = [...input.shape];
      const feed: RunnerTensor =
        io === 'float32'
          ? { data: x, shape }
          : { data: quantize(x, shape, io === 'uint8' ? uint8Of(input.quantization!) : input.quantization!) as Uint8Array | Int8Array, shape };
      const [out] = model.run([feed]);
      expect(out!.shape).toEqual([...output.shape]);
      if (io === 'float32') {
        expect(out!.dtype).toBe('float32');
        return out!.data as Float32Array;
      }
      expect(out!.dtype).toBe(io);
      return dequantize(out!.data, output.shape, io === 'uint8' ? uint8Of(output.quantization!) : output.quantization!);
    });
  } finally {
    model.dispose();
  }
}

async function expectAgreement(net: Net, io: 'float32' | 'uint8' | 'int8', steps: number): Promise<number> {
  const outScale = net.graph.tensors[net.graph.outputs[0]!]!.quantization!.scale[0]!;
  const got = await runAll(net.graph, io, net.samples);
  let worst = 0;
  got.forEach((out, i) => {
    const want = runReference(net.graph, [net.samples[i]!])[0]!;
    worst = Math.max(worst, maxError(out, want) / outScale);
  });
  expect(worst).toBeLessThanOrEqual(steps);
  return worst;
}

const allOps = (): Net => allOpsNet(3);

const logits = (): Net =>
  buildNet('logits', [1, 12, 12, 1], [
    { kind: 'conv', filters: 8, kernel: [3, 3], activation: 'relu' },
    { kind: 'depthwise', multiplier: 1, kernel: [3, 3], strides: [2, 2], activation: 'relu6' },
    { kind: 'conv', filters: 6, kernel: [1, 1], dilations: [1, 1], padding: 'valid' },
    { kind: 'maxpool', size: [3, 3], strides: [2, 2], padding: 'same' },
    { kind: 'flatten' },
    { kind: 'dense', units: 16, activation: 'relu' },
    { kind: 'dense', units: 4 },
  ], 5);

describe('exported models in LiteRT', () => {
  it.each(['float32', 'uint8', 'int8'] as const)('small CNN with %s I/O matches the reference', async (io) => {
    await expectAgreement(smallCnn(), io, 2);
  });

  it.each(['float32', 'uint8'] as const)('every op kind with %s I/O matches the reference', async (io) => {
    await expectAgreement(allOps(), io, 2);
  });

  it('a net ending in logits (no softmax) matches the reference', async () => {
    await expectAgreement(logits(), 'float32', 2);
  });

  it('the comparison is sensitive: another input is far outside the tolerance', async () => {
    const net = logits();
    const [got] = await runAll(net.graph, 'float32', [net.samples[0]!]);
    const other = runReference(net.graph, [net.samples[1]!])[0]!;
    const outScale = net.graph.tensors[net.graph.outputs[0]!]!.quantization!.scale[0]!;
    expect(maxError(got!, other) / outScale).toBeGreaterThan(10);
  });
});
