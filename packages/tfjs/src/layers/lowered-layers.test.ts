import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activationQuantization, fakeQuantize } from '@qatkit/core';
import { A8, W8 } from '@qatkit/scheme-8bit';
import { atrousConv } from './atrous.js';
import { QuantConstOp } from './quant-const.js';
import { QuantConv2DTranspose } from './quant-conv2d-transpose.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

describe('QuantConstOp', () => {
  it('multiplies by its constant on the int8 grid the export stores it on (per tensor, own min/max)', () => {
    const values = [0.3, -1.2, 2.5, 0.01];
    const layer = new QuantConstOp({ op: 'mul', shape: [4], quantizer: A8, trainable: true });
    const x = tf.ones([2, 4]);
    layer.apply(x);
    layer.setWeights([tf.tensor1d(values)]);
    const q = activationQuantization(-1.2, 2.5, A8);
    const expected = fakeQuantize(values, [4], q);
    expect(close(layer.apply(x) as tf.Tensor, tf.tile(tf.tensor2d([...expected], [1, 4]), [2, 1]))).toBeLessThan(1e-6);
    // Straight-through: the constant gets the gradient of a plain multiply.
    const g = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(layer.apply(tf.ones([1, 4])) as tf.Tensor, c)))(tf.ones([1, 4]));
    expect(g.shape).toEqual([1, 4]);
  });
});

describe('QuantConv2DTranspose', () => {
  it('computes tfjs conv2dTranspose with per-output-channel fake-quantized weights ([kh, kw, out, in] kernel, channel axis 2)', () => {
    const layer = new QuantConv2DTranspose({ name: 'quant_t', filters: 3, kernelSize: [3, 3], strides: [2, 2], padding: 'same', useBias: true, activation: 'linear', weightQuantizer: W8, perAxis: true });
    const x = tf.randomUniform([1, 4, 4, 2], 0, 1, 'float32', 1);
    const input = tf.input({ shape: [4, 4, 2] });
    // Weighted layers read their input's scale from a fake-quant before them: use a fixed one.
    const model = tf.model({ inputs: input, outputs: layer.apply(new (class extends tf.layers.Layer {
      static className = 'FixedScale';
      scaleTensor = () => tf.scalar(1 / 255);
      override call(t: tf.Tensor | tf.Tensor[]) { return Array.isArray(t) ? t[0]! : t; }
    })({ name: 'fq' }).apply(input)) as tf.SymbolicTensor });
    expect(model.outputs[0]!.shape).toEqual([null, 8, 8, 3]);
    const kernel = tf.randomUniform([3, 3, 3, 2], -1, 1, 'float32', 2);
    layer.setWeights([kernel, tf.tensor1d([0.1, -0.2, 0.3])]);
    const perChannelMax = tf.max(tf.abs(kernel), [0, 1, 3]);
    const scale = tf.reshape(tf.div(perChannelMax, 127), [1, 1, 3, 1]);
    const wq = tf.mul(tf.round(tf.div(kernel, scale)), scale) as tf.Tensor4D;
    const expected = tf.add(tf.conv2dTranspose(x as tf.Tensor4D, wq, [1, 8, 8, 3], 2, 'same'), tf.tensor1d([0.1, -0.2, 0.3]));
    expect(close(model.predict(x) as tf.Tensor, expected)).toBeLessThan(1e-5);
  });
});

describe('atrousConv', () => {
  it('equals the dilated conv and has gradients tfjs can compute', () => {
    const x = tf.randomUniform([2, 9, 11, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const k = tf.randomUniform([3, 2, 3, 4], -1, 1, 'float32', 4) as tf.Tensor4D;
    for (const padding of ['same', 'valid'] as const) {
      const native = tf.conv2d(x, k, 1, padding, 'NHWC', [2, 3]);
      expect(close(atrousConv(x, [3, 2], [2, 3], padding, (s) => tf.conv2d(s, k, 1, 'valid')), native)).toBeLessThan(1e-5);
    }
    const dk = tf.grad((kk: tf.Tensor) => tf.sum(atrousConv(x, [3, 2], [2, 2], 'same', (s) => tf.conv2d(s, kk as tf.Tensor4D, 1, 'valid'))))(k);
    expect(dk.shape).toEqual([3, 2, 3, 4]);
    expect(() => tf.grad((kk: tf.Tensor) => tf.sum(tf.conv2d(x, kk as tf.Tensor4D, 1, 'same', 'NHWC', [2, 2])))(k)).toThrow();
  });
});
