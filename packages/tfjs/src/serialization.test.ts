import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQatkitError } from '@qatkit/core';
import { calibrate, quantizeModel } from './quantize-model.js';
import { toGraph } from './to-graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function cnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu', name: 'conv' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 4, activation: 'softmax', name: 'out' }),
    ],
  });
}

describe('QAT models as files', () => {
  it('save and load with tfjs (no custom-object scope) and convert to the same graph', async () => {
    const qat = quantizeModel(cnn(), { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([8, 6, 6, 1], 0, 1, 'float32', 3)]);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await qat.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 4);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((qat.predict(x) as tf.Tensor).dataSync()));
    const a = toGraph(qat);
    const b = toGraph(loaded);
    expect(Object.keys(b.tensors)).toEqual(Object.keys(a.tensors));
    for (const name of Object.keys(a.tensors)) {
      expect(b.tensors[name]!.quantization).toEqual(a.tensors[name]!.quantization);
      expect(b.tensors[name]!.data).toEqual(a.tensors[name]!.data);
    }
  });

  it('refuses to convert a model whose weights diverged to NaN', () => {
    const qat = quantizeModel(cnn(), { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([4, 6, 6, 1])]);
    const conv = qat.getLayer('quant_conv');
    const [kernel, bias] = conv.getWeights();
    conv.setWeights([tf.fill(kernel!.shape, NaN), bias!]);
    let err: unknown;
    try {
      toGraph(qat);
    } catch (e) {
      err = e;
    }
    expect(isQatkitError(err, 'INVALID_RANGE')).toBe(true);
    expect(String(err)).toMatch(/kernel of layer "conv" contains NaN/);
  });
});
