import { dequantize, maxRequantRatio, quantize, type Graph, type IoType } from '@qatkit/core';
import { loadLiteRt, type LiteRt, type RunnerTensor } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNet, type Net } from '../test-utils/build-net.js';
import { runReference } from '../test-utils/reference.js';
import { wrapIo } from './wrap-io.js';
import { writeModel } from './write-model.js';

/**
 * A model LiteRT's XNNPACK backend refuses must fail loudly in @qatkit/litert-runner, never
 * run with stale outputs. exportTflite refuses such graphs itself, so these bytes come from
 * the writer directly, past the checks: an int8 CONV_2D / FULLY_CONNECTED whose
 * requantization ratio input_scale × weight_scale / output_scale is ≥ 256.
 */

const convNet = (): Net => buildNet('conv', [1, 6, 6, 2], [{ kind: 'conv', filters: 3, kernel: [3, 3] }], 7);
const denseNet = (): Net => buildNet('dense', [1, 16], [{ kind: 'dense', units: 4 }], 7);

/** The single op's output with a collapsed scale, as after a dead ReLU. */
function withOutputScale(graph: Graph, scale: number): Graph {
  const name = graph.outputs[0]!;
  const t = graph.tensors[name]!;
  return { ...graph, tensors: { ...graph.tensors, [name]: { ...t, quantization: { ...t.quantization!, scale: [scale], zeroPoint: [0] } } } };
}

function requantRatio(graph: Graph): number {
  const op = graph.ops[0]!;
  const scale = (i: number) => graph.tensors[op.inputs[i]!]!.quantization!.scale;
  return maxRequantRatio(scale(0)[0]!, scale(1), graph.tensors[op.outputs[0]!]!.quantization!.scale[0]!);
}

const bytesOf = (graph: Graph, io: IoType): Uint8Array => writeModel(wrapIo(graph, io), 'test');

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

/** Largest difference from the float reference over the net's samples, in output steps. */
async function worstSteps(net: Net, io: 'float32' | 'int8'): Promise<number> {
  const model = await rt.compile(bytesOf(net.graph, io));
  const input = net.graph.tensors[net.graph.inputs[0]!]!;
  const output = net.graph.tensors[net.graph.outputs[0]!]!;
  const outQ = output.quantization!;
  let worst = 0;
  try {
    for (const x of net.samples) {
      const shape = [...input.shape];
      const feed: RunnerTensor = io === 'float32' ? { data: x, shape } : { data: quantize(x, shape, input.quantization!) as Int8Array, shape };
      const [out] = model.run([feed]);
      expect(out!.dtype).toBe(io);
      const got = io === 'float32' ? out!.data : dequantize(out!.data, output.shape, outQ);
      const want = runReference(net.graph, [x])[0]!;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / outQ.scale[0]!);
    }
  } finally {
    model.dispose();
  }
  return worst;
}

describe('a model XNNPACK refuses, on LiteRT', () => {
  const cases = [
    ['CONV_2D', convNet],
    ['FULLY_CONNECTED', denseNet],
  ] as const;

  it.each(cases.flatMap(([op, net]) => (['float32', 'int8'] as const).map((io) => [op, io, net] as const)))(
    '%s with %s I/O: compile() rejects it with LiteRT\'s message, then a good model runs',
    async (_op, io, net) => {
      const good = net();
      const bad = withOutputScale(good.graph, 1e-8);
      expect(requantRatio(good.graph)).toBeLessThan(256);
      expect(requantRatio(bad)).toBeGreaterThan(256);

      const compiling = rt.compile(bytesOf(bad, io));
      await expect(compiling).rejects.toThrow(/^LiteRT could not compile the model \(\d+ bytes\)\. XNNPACK/);
      await expect(compiling).rejects.toThrow(/\nLiteRT log:\n {2}ERROR: failed to create XNNPACK runtime/);

      // Nothing leaks from the failure: the same net with its calibrated scale agrees with the reference.
      expect(await worstSteps(good, io)).toBeLessThanOrEqual(1);
    },
  );

  it('the good models are not trivially right: another input is far outside one step', async () => {
    const net = denseNet();
    const shifted: Net = { graph: net.graph, samples: net.samples.map((x) => x.map((v) => -v)) };
    const model = await rt.compile(bytesOf(net.graph, 'float32'));
    const [out] = model.run([{ data: shifted.samples[0]!, shape: [1, 16] }]);
    model.dispose();
    const want = runReference(net.graph, [net.samples[0]!])[0]!;
    const scale = net.graph.tensors[net.graph.outputs[0]!]!.quantization!.scale[0]!;
    const steps = Math.max(...Array.from(want, (w, i) => Math.abs(out!.data[i]! - w) / scale));
    expect(steps).toBeGreaterThan(10);
  });
});
