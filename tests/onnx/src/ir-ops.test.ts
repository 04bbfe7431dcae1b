import { activationQuantization, GraphBuilder, type Graph, type OpAttrs, type OpKind, type Quantization } from '@qatkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { loadOnnxRuntime, type OnnxRuntime } from '@qatkit/onnx-runner';
import { agreement, maxRelativeDifference, runBoth } from './both-runtimes.js';
import { checkModels } from './onnx-checker.js';
import { exportOnnx } from '@qatkit/exporter-onnx';

/**
 * IR ops no tfjs layer in tests/onnx produces (Sub, HardSwish), and attribute cases the layers do
 * not reach (a channel Mean without keepDims, which must leave NCHW; Softmax with beta; align-corners
 * resize; a rank-4 Transpose feeding a Conv), built directly as one-op IR graphs: int8 on both
 * runtimes within one step, float within 1e-4, and onnx.checker.
 */

let rt: LiteRt;
let ort: OnnxRuntime;
beforeAll(async () => {
  rt = await loadLiteRt();
  ort = await loadOnnxRuntime();
});

const SPEC = { bits: 8, symmetric: false, narrowRange: false, signed: true };
const q = (min: number, max: number): Quantization => activationQuantization(min, max, SPEC);

type Range = readonly [number, number];
interface Case {
  readonly kind: OpKind;
  readonly attrs: OpAttrs[OpKind];
  readonly inputs: readonly (readonly number[])[];
  readonly out: readonly number[];
  readonly outRange: Range;
}

/**
 * A graph of one op over inputs in [-4, 4], int8 or float. Input 0 goes through an identity 1×1
 * Conv2D first, so the op reads a tensor stored NCHW (as inside a real model) and, for binary ops,
 * meets an input stored NHWC.
 */
function oneOp(c: Case, float: boolean): Graph {
  const g = new GraphBuilder(`${c.kind}_case`);
  const type = float ? 'float32' : 'int8';
  const names = c.inputs.map((shape, i) => g.addTensor({ name: `x${i}`, shape, dtype: type, ...(float ? {} : { quantization: q(-4, 4) }) }));
  const ch = c.inputs[0]![3]!;
  const eye = Array.from({ length: ch * ch }, (_, i) => (Math.floor(i / ch) === i % ch ? 1 : 0));
  const w = g.addTensor({
    name: 'id/weights', shape: [ch, 1, 1, ch], dtype: type,
    ...(float ? { data: Float32Array.from(eye) } : { data: Int8Array.from(eye, (v) => v * 127), quantization: { scale: eye.slice(0, ch).map(() => 1 / 127), zeroPoint: eye.slice(0, ch).map(() => 0), axis: 0, bits: 8, signed: true, narrowRange: true } }),
  });
  // LiteRT's int8 per-channel CONV_2D needs a bias (conv.cc: "has_bias was not true").
  const inScale = q(-4, 4).scale[0]!;
  const b = g.addTensor({
    name: 'id/bias', shape: [ch], dtype: float ? 'float32' : 'int32',
    ...(float ? { data: new Float32Array(ch) } : { data: new Int32Array(ch), quantization: { scale: eye.slice(0, ch).map(() => inScale / 127), zeroPoint: eye.slice(0, ch).map(() => 0), axis: 0, bits: 32, signed: true, narrowRange: false } }),
  });
  const z = g.addTensor({ name: 'z', shape: c.inputs[0]!, dtype: type, ...(float ? {} : { quantization: q(-4, 4) }) });
  g.addOp('Conv2D', 'id', [names[0]!, w, b], [z], { strides: [1, 1], dilations: [1, 1], padding: 'valid', activation: 'none' });
  g.addTensor({ name: 'y', shape: c.out, dtype: type, ...(float ? {} : { quantization: q(...c.outRange) }) });
  g.addOp(c.kind, 'op', [z, ...names.slice(1)], ['y'], c.attrs);
  return g.setInputs(names).setOutputs(['y']).build();
}

const img = [1, 5, 6, 3];
const CASES: [string, Case][] = [
  ['Sub of two computed inputs', { kind: 'Sub', attrs: { activation: 'none' }, inputs: [img, img], out: img, outRange: [-8, 8] }],
  ['HardSwish', { kind: 'HardSwish', attrs: {}, inputs: [img], out: img, outRange: [-0.375, 4] }],
  ['Mean over channels without keepDims', { kind: 'Mean', attrs: { axes: [3], keepDims: false }, inputs: [img], out: [1, 5, 6], outRange: [-4, 4] }],
  ['Softmax with beta 0.5', { kind: 'Softmax', attrs: { beta: 0.5 }, inputs: [img], out: img, outRange: [0, 255 / 256] }],
  ['ResizeBilinear with aligned corners', { kind: 'ResizeBilinear', attrs: { alignCorners: true, halfPixelCenters: false }, inputs: [img], out: [1, 9, 11, 3], outRange: [-4, 4] }],
  ['ResizeNearestNeighbor with half-pixel centers', { kind: 'ResizeNearestNeighbor', attrs: { alignCorners: false, halfPixelCenters: true }, inputs: [img], out: [1, 10, 9, 3], outRange: [-4, 4] }],
  ['Transpose of an image', { kind: 'Transpose', attrs: { perm: [0, 2, 3, 1] }, inputs: [img], out: [1, 6, 3, 5], outRange: [-4, 4] }],
];

const samples = (graph: Graph, n: number) =>
  graph.inputs.map((name, k) => Float32Array.from({ length: n * graph.tensors[name]!.shape.reduce((a, b) => a * b, 1) }, (_, i) => 4 * Math.sin(i * 0.37 + k * 1.3 + i * i * 1e-3)));

describe.each(CASES)('%s', (name, c) => {
  it('int8 on onnxruntime within one step of LiteRT, float within 1e-4, and valid ONNX', async () => {
    const int8 = oneOp(c, false);
    const runs = await runBoth(rt, ort, int8, samples(int8, 4), 4, { io: 'int8' });
    const a = agreement(runs.tflite, runs.onnx, 0);
    expect(a.withinOneStep, `max ${a.maxSteps} steps`).toBeGreaterThanOrEqual(0.99);
    const float = oneOp(c, true);
    const floats = await runBoth(rt, ort, float, samples(float, 2), 2, { io: 'float32' });
    expect(maxRelativeDifference(floats.tflite, floats.onnx)).toBeLessThan(1e-4);
    expect(checkModels({ [`${name} int8`]: exportOnnx(int8), [`${name} float`]: exportOnnx(float) })).toEqual({});
  });
});
