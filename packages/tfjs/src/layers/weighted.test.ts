import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIAS_LIMIT, REQUANT_TARGET, biasSafeWeightScales, requantFloor } from '@qatkit/core';
import { calibrate, quantizeModel } from '../quantize-model.js';
import { toGraph } from '../to-graph.js';
import { FakeQuant } from './fake-quant.js';
import { QuantDense } from './quant-dense.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const near = (a: number, b: number, rel = 1e-6) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b));

/** conv → ReLU that never fires (bias −10) → dense with a large bias. */
function deadRelu(): tf.Sequential {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, activation: 'relu', name: 'c' }),
      tf.layers.flatten({ name: 'f' }),
      tf.layers.dense({ units: 3, name: 'd' }),
    ],
  });
  m.getLayer('c').setWeights([tf.fill([3, 3, 1, 2], 0.1), tf.fill([2], -10)]);
  m.getLayer('d').setWeights([tf.fill([8, 3], 0.2), tf.tensor1d([5, -3, 0.5])]);
  return m;
}

describe('limits in the QAT model (core limits.ts, simulated)', () => {
  it('gives a dead ReLU the requantization floor, and widens the next layer\'s weights for its bias', () => {
    const qat = quantizeModel(deadRelu(), { inputRange: [0, 1] });
    const x = tf.randomUniform([8, 4, 4, 1], 0, 1, 'float32', 5);
    calibrate(qat, [x]);
    const fq = qat.getLayer('c_act_quant') as FakeQuant;
    expect(fq.range()).toMatchObject({ min: 0, max: 0 });
    const g = toGraph(qat);
    const inS = g.tensors[g.inputs[0]!]!.quantization!.scale[0]!;
    const convW = g.tensors['c/weights']!.quantization!.scale;
    // The trained floor is the one core computes from the exported parameters.
    near(fq.range().minScale, requantFloor(inS, convW));
    near(g.tensors['c']!.quantization!.scale[0]!, requantFloor(inS, convW));
    expect((inS * Math.max(...convW)) / g.tensors['c']!.quantization!.scale[0]!).toBeCloseTo(REQUANT_TARGET, 3);
    // dense: bias 5 at that tiny input scale needs a wider weight scale; it gets exactly core's.
    const dS = g.tensors['c']!.quantization!.scale[0]!;
    const dW = g.tensors['d/weights']!.quantization!.scale;
    near(dW[0]!, biasSafeWeightScales([0.2 / 127], [5, -3, 0.5], dS)[0]!);
    const bias = g.tensors['d/bias']!.data as Int32Array;
    expect(Math.max(...Array.from(bias, Math.abs))).toBeLessThanOrEqual(BIAS_LIMIT);
    // The QAT model computes with those parameters: the dead branch adds nothing, the bias survives.
    const out = (qat.predict(x) as tf.Tensor).dataSync();
    const outQ = g.tensors['d']!.quantization!;
    [5, -3, 0.5].forEach((b, j) => expect(Math.abs(out[j]! - b)).toBeLessThanOrEqual(outQ.scale[0]! * 1.01));
    const layer = qat.getLayer('quant_d') as QuantDense;
    near(layer.weightScales().dataSync()[0]!, dW[0]!);
  });

  it('leaves ordinary layers at their plain scales', () => {
    const m = deadRelu();
    m.getLayer('c').setWeights([tf.randomNormal([3, 3, 1, 2], 0, 0.3, 'float32', 1), tf.tensor1d([0.1, -0.05])]);
    const qat = quantizeModel(m, { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([8, 4, 4, 1], 0, 1, 'float32', 6)]);
    const g = toGraph(qat);
    const fq = (qat.getLayer('c_act_quant') as FakeQuant).range();
    // The learned range decides the scale; the floor sits far below it.
    near(g.tensors['c']!.quantization!.scale[0]!, (fq.max - Math.min(fq.min, 0)) / 255, 1e-5);
    expect(fq.minScale).toBeLessThan(g.tensors['c']!.quantization!.scale[0]! / 100);
    const kernel = qat.getLayer('quant_d').getWeights()[0]!;
    near(g.tensors['d/weights']!.quantization!.scale[0]!, tf.max(tf.abs(kernel)).dataSync()[0]! / 127);
  });
});
