import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQatkitError } from '@qatkit/core';
import { default8bit } from '@qatkit/scheme-8bit';
import { calibrate, quantizeModel } from './quantize-model.js';
import { toGraph } from './to-graph.js';
import { FakeQuant } from './layers/fake-quant.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function smallCnn(): tf.Sequential {
  return tf.sequential({
    name: 'small',
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', name: 'c1' }),
      tf.layers.reLU({ name: 'r1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'c2' }),
      tf.layers.flatten({ name: 'f' }),
      tf.layers.dropout({ rate: 0.1, name: 'd' }),
      tf.layers.dense({ units: 3, activation: 'softmax', name: 'fc' }),
    ],
  });
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('quantizeModel', () => {
  it('places fake-quant per the scheme: fused ReLU, no quantizer after pooling/reshape, softmax split', () => {
    const qat = quantizeModel(smallCnn());
    expect(qat.layers.map((l) => l.name)).toEqual([
      'c1_input', 'c1_input_quant', 'quant_c1', 'r1_act_quant', 'p1', 'quant_c2', 'c2_act_quant', 'f',
      'quant_fc', 'fc_act_quant', 'fc_softmax', 'fc_softmax_act_quant',
    ]);
    expect(qat.outputs[0]!.shape).toEqual([null, 3]);
  });

  it('keeps the float weights and output of the source model before training (up to quantization)', () => {
    const model = smallCnn();
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    const x = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 1);
    calibrate(qat, [x]);
    const diff = tf.abs(tf.sub(model.predict(x) as tf.Tensor, qat.predict(x) as tf.Tensor)).max().dataSync()[0]!;
    expect(diff).toBeLessThan(0.05);
  });

  it('trains with model.fit: weights move and ranges are learned', async () => {
    const qat = quantizeModel(smallCnn());
    qat.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomUniform([32, 8, 8, 1], 0, 1, 'float32', 2);
    const ys = tf.oneHot(tf.tensor1d([...Array(32).keys()].map((i) => i % 3), 'int32'), 3);
    const before = qat.getLayer('quant_c1').getWeights()[0]!.dataSync().slice();
    const h = await qat.fit(xs, ys, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(h.history['loss']).toHaveLength(2);
    const after = qat.getLayer('quant_c1').getWeights()[0]!.dataSync();
    expect(after.some((v, i) => v !== before[i])).toBe(true);
    const r = (qat.getLayer('r1_act_quant') as FakeQuant).range();
    expect(r.count).toBe(4);
    expect(r.min).toBe(0);
    expect(r.max).toBeGreaterThan(0);
    const inputRange = (qat.getLayer('c1_input_quant') as FakeQuant).range();
    expect(inputRange.min).toBeGreaterThanOrEqual(0);
    expect(inputRange.max).toBeLessThanOrEqual(1);

    const g = toGraph(qat);
    expect(g.ops.map((o) => `${o.kind}:${o.name}`)).toEqual(['Conv2D:c1', 'MaxPool2D:p1', 'Conv2D:c2', 'Reshape:f', 'FullyConnected:fc', 'Softmax:fc_softmax']);
    expect(g.ops[0]!.attrs).toMatchObject({ activation: 'relu', padding: 'same' });
    expect(g.tensors['c1/weights']!.shape).toEqual([4, 3, 3, 1]);
    expect(g.tensors['c1/weights']!.quantization!.scale).toHaveLength(4);
    expect(g.tensors['fc/weights']!.quantization!.scale).toHaveLength(1);
    expect(g.tensors['fc_softmax']!.quantization).toMatchObject({ scale: [1 / 256], zeroPoint: [-128] });
    expect(g.tensors['p1']!.quantization).toEqual(g.tensors['r1']!.quantization);
    expect(g.tensors[g.inputs[0]!]!.shape).toEqual([1, 8, 8, 1]);
  });

  it('names an unsupported layer and its class, and says how to register one', () => {
    const m = tf.sequential({ layers: [tf.layers.conv3d({ inputShape: [4, 4, 4, 2], filters: 2, kernelSize: 3, name: 'my_conv3d' })] });
    const err = thrown(() => quantizeModel(m));
    expect(isQatkitError(err, 'UNSUPPORTED_LAYER')).toBe(true);
    expect(String(err)).toMatch(/Layer "my_conv3d" \(class Conv3D\) is not supported by the default-8bit scheme/);
    expect(String(err)).toMatch(/extendRegistry/);
  });

  it('names the unsupported setting of a supported class, with the supported values', () => {
    const relu3 = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, name: 'd' }), tf.layers.reLU({ maxValue: 3, name: 'r3' })] });
    expect(String(thrown(() => quantizeModel(relu3)))).toMatch(/Layer "r3" \(class ReLU\) has maxValue 3 \(supported: null, 6\), which is not supported by the default-8bit scheme/);
    const sm = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1, name: 'c' }), tf.layers.softmax({ axis: 1, name: 'sm1' })] });
    expect(String(thrown(() => quantizeModel(sm)))).toMatch(/Layer "sm1" \(class Softmax\) has axis 1 \(supported: -1\), which is not supported/);
    const cf = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [1, 4, 4], filters: 2, kernelSize: 1, dataFormat: 'channelsFirst', name: 'cf' })] });
    const e = thrown(() => quantizeModel(cf));
    expect(isQatkitError(e, 'UNSUPPORTED_LAYER')).toBe(true);
    expect(String(e)).toMatch(/Layer "cf" \(class Conv2D\) has dataFormat "channelsFirst" \(supported: "channelsLast"\)/);
    expect(String(e)).not.toMatch(/Supported layers/);
  });

  it('says a QAT model is already quantized instead of asking for a registry row', () => {
    const qat = quantizeModel(smallCnn());
    const e = thrown(() => quantizeModel(qat));
    expect(isQatkitError(e, 'ALREADY_QUANTIZED')).toBe(true);
    expect(String(e)).toMatch(/model "quant_small" is already quantized \(its layer "c1_input_quant" is a QatkitFakeQuant\)/);
  });

  it('refuses activations it cannot quantize, and layers with no config', () => {
    const selu = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: 'selu', name: 'th' })] });
    expect(String(thrown(() => quantizeModel(selu)))).toMatch(/"th" \(class Dense\) uses activation "selu", which the default-8bit scheme cannot quantize \(supported: linear, relu, relu6, softmax, sigmoid, tanh, swish\)/);
    // An Activation layer with a function TFLite has no cheap form of is named with the supported ones.
    for (const fn of ['hardSigmoid', 'selu', 'softplus'] as const) {
      const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, name: 'd' }), tf.layers.activation({ activation: fn, name: 'act' })] });
      expect(String(thrown(() => quantizeModel(m)))).toMatch(new RegExp(`Layer "act" \\(class Activation\\) has activation "${fn}" \\(supported: .*"swish".*\\)`));
    }
    const conv1d = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [10, 2], filters: 2, kernelSize: 3, padding: 'causal', name: 'causal' })] });
    expect(String(thrown(() => quantizeModel(conv1d)))).toMatch(/Layer "causal" \(class Conv1D\) has padding "causal" \(supported: "valid", "same"\)/);
    class NoConfig extends tf.layers.Layer {
      static className = 'NoConfig';
      override getConfig(): tf.serialization.ConfigDict {
        throw new Error('not implemented');
      }
    }
    const inp = tf.input({ shape: [4] });
    const odd = tf.model({ inputs: inp, outputs: new NoConfig({ name: 'mine' }).apply(inp) as tf.SymbolicTensor });
    const e = thrown(() => quantizeModel(odd));
    expect(isQatkitError(e, 'UNSUPPORTED_LAYER')).toBe(true);
    expect(String(e)).toMatch(/Layer "mine" \(class NoConfig\) has no config \(not implemented\); give the class a getConfig\(\)/);
  });

  it('refuses bad input ranges and conversion before any range exists', () => {
    expect(String(thrown(() => quantizeModel(smallCnn(), { inputRange: [1, 0] })))).toMatch(/inputRange/);
    expect(String(thrown(() => toGraph(quantizeModel(smallCnn()))))).toMatch(/has no range yet/);
  });

  it('accepts a standalone Softmax layer (tfjs writes axis 1 for the last axis of rank-2 input)', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 3, name: 'd' }), tf.layers.softmax({ name: 'sm' })] });
    expect(m.layers[1]!.getConfig()['axis']).toBe(1);
    const qat = quantizeModel(m, { inputRange: [-1, 1] });
    calibrate(qat, [tf.randomUniform([4, 5], -1, 1)]);
    const g = toGraph(qat);
    expect(g.ops.map((o) => o.kind)).toEqual(['FullyConnected', 'Softmax']);
    expect(g.tensors['sm']!.quantization).toMatchObject({ scale: [1 / 256], zeroPoint: [-128] });
  });

  it('uses per-tensor conv weights when the scheme says so', () => {
    const qat = quantizeModel(smallCnn(), { scheme: default8bit({ perAxis: false }), inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([4, 8, 8, 1])]);
    expect(toGraph(qat, { batchSize: 2 }).tensors['c1/weights']!.quantization!.scale).toHaveLength(1);
  });
});
