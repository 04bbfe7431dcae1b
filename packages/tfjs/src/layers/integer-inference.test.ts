import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quantize, type Graph } from '@qatkit/core';
import { calibrate, quantizeModel } from '../quantize-model.js';
import { toGraph } from '../to-graph.js';
import { integerPathExact, setExactInference } from './integer-inference.js';
import type { QuantWeighted } from './quant-weighted.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** dense → BatchNorm → ReLU6, dense → ReLU, dense: every requantization kind of the integer path. */
function mlp(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [24] });
  let x = tf.layers.dense({ units: 32, name: 'd1', kernelInitializer: tf.initializers.glorotNormal({ seed }) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'r6' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 32, activation: 'relu', name: 'd2', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }).apply(x) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 10, name: 'd3', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) }).apply(x) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: y });
  const bn = m.getLayer('bn');
  bn.setWeights(bn.getWeights().map((w, j) => tf.randomUniform(w.shape, j === 3 ? 0.5 : -0.5, j === 3 ? 2 : 1.5, 'float32', seed + j)));
  return m;
}

const rne = (v: number) => (Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));

/**
 * The exported graph run as XNNPACK runs it, in plain JS: exact int32 accumulators, float32
 * requantization scale s_in · s_w / s_out, round half to even, clamp to the fused activation.
 */
function runInts(g: Graph, x: Float32Array, batch: number): Int8Array {
  const inQ = g.tensors[g.inputs[0]!]!.quantization!;
  let values = Int8Array.from(quantize(x, [x.length], inQ));
  let q = inQ;
  for (const op of g.ops) {
    expect(op.kind).toBe('FullyConnected');
    const w = g.tensors[op.inputs[1]!]!;
    const b = g.tensors[op.inputs[2]!]!.data as Int32Array;
    const outQ = g.tensors[op.outputs[0]!]!.quantization!;
    const [units, depth] = w.shape as [number, number];
    const wq = w.data as Int8Array;
    const zp = outQ.zeroPoint[0]!;
    const act = (op.attrs as { activation?: string }).activation;
    const lo = act === 'relu' || act === 'relu6' ? zp : -128;
    const hi = act === 'relu6' ? Math.min(127, rne(Math.fround(Math.fround(6 / Math.fround(outQ.scale[0]!)) + zp))) : 127;
    const out = new Int8Array(batch * units);
    for (let s = 0; s < batch; s++) {
      for (let u = 0; u < units; u++) {
        let acc = b[u]!;
        for (let k = 0; k < depth; k++) acc += (values[s * depth + k]! - q.zeroPoint[0]!) * wq[u * depth + k]!;
        const sw = Math.fround(w.quantization!.scale.length > 1 ? w.quantization!.scale[u]! : w.quantization!.scale[0]!);
        const scale = Math.fround(Math.fround(Math.fround(q.scale[0]!) * sw) / Math.fround(outQ.scale[0]!));
        out[s * units + u] = Math.min(hi, Math.max(lo, rne(Math.fround(Math.fround(acc) * scale)) + zp));
      }
    }
    values = out;
    q = outQ;
  }
  return values;
}

/** The QAT model's output as int8 levels of the graph's output quantization. */
function levels(y: tf.Tensor, g: Graph): Int8Array {
  const q = g.tensors[g.outputs[0]!]!.quantization!;
  return Int8Array.from(y.dataSync(), (v) => Math.round(v / q.scale[0]!) + q.zeroPoint[0]!);
}

describe('integer-exact inference', () => {
  it('predicts what the exported integer graph computes, bit for bit (the float path does not)', () => {
    const qat = quantizeModel(mlp(3), { inputRange: [-2, 3] });
    calibrate(qat, [tf.randomNormal([256, 24], 0, 1, 'float32', 4)]);
    const g = toGraph(qat);
    const x = tf.clipByValue(tf.randomNormal([2000, 24], 0, 1, 'float32', 5), -2, 3);
    const expected = runInts(g, x.dataSync() as Float32Array, 2000);
    expect(Array.from(levels(qat.predict(x) as tf.Tensor, g))).toEqual(Array.from(expected));
    for (const name of ['quant_d1', 'quant_d2', 'quant_d3']) expect(integerPathExact(qat.getLayer(name) as QuantWeighted)).toBe(true);
    setExactInference(qat, false);
    const float = levels(qat.predict(x) as tf.Tensor, g);
    const apart = float.filter((v, i) => v !== expected[i]).length;
    // The float path rounds a few values the other way (float accumulation error at rounding boundaries).
    expect(apart).toBeGreaterThan(0);
    expect(apart).toBeLessThan(expected.length / 50);
  });

  it('leaves training, calibration and export alone', async () => {
    const [a, b] = [mlp(7), mlp(7)].map((m) => quantizeModel(m, { inputRange: [-2, 3] }));
    setExactInference(b!, false);
    const xs = tf.clipByValue(tf.randomNormal([64, 24], 0, 1, 'float32', 8), -2, 3);
    const ys = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 9) as tf.Tensor1D, 10).toFloat();
    for (const m of [a!, b!]) {
      calibrate(m, [xs]);
      m.compile({ optimizer: tf.train.sgd(0.05), loss: tf.losses.softmaxCrossEntropy });
      await m.fit(xs, ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    }
    const wa = a!.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b!.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
    const [ga, gb] = [toGraph(a!), toGraph(b!)];
    expect(Object.keys(ga.tensors).map((k) => Array.from(ga.tensors[k]!.data ?? []))).toEqual(Object.keys(gb.tensors).map((k) => Array.from(gb.tensors[k]!.data ?? [])));
  });

  it('falls back to the float path where a range is not set yet', () => {
    const qat = quantizeModel(mlp(11), { inputRange: [-2, 3] });
    const y = qat.predict(tf.zeros([2, 24])) as tf.Tensor;
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(integerPathExact(qat.getLayer('quant_d1') as QuantWeighted)).toBeUndefined();
  });
});
