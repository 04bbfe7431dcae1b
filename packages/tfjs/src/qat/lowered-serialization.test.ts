import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrate, quantizeModel } from '../quantize-model.js';
import { toGraph } from '../to-graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

describe('QAT models with lowered layers as files', () => {
  it('save and load (QuantConstOp, QuantConv2DTranspose) and convert to the same graph', async () => {
    const x = tf.input({ shape: [4, 4, 2], name: 'x' });
    let y = L.separableConv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'sep' }).apply(x) as Sym;
    y = L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, name: 'up' }).apply(y) as Sym;
    y = L.prelu({ name: 'p' }).apply(L.batchNormalization({ name: 'bn' }).apply(L.rescaling({ scale: 0.5, offset: 0.1, name: 'rs' }).apply(y) as Sym) as Sym) as Sym;
    const qat = quantizeModel(tf.model({ inputs: x, outputs: y, name: 'lowered' }), { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([4, 4, 4, 2], 0, 1, 'float32', 1)]);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await qat.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const data = tf.randomUniform([2, 4, 4, 2], 0, 1, 'float32', 2);
    expect(Array.from((loaded.predict(data) as tf.Tensor).dataSync())).toEqual(Array.from((qat.predict(data) as tf.Tensor).dataSync()));
    const a = toGraph(qat);
    const b = toGraph(loaded);
    expect(b.ops.map((o) => o.kind)).toEqual(['DepthwiseConv2D', 'Conv2D', 'TransposeConv2D', 'Mul', 'Add', 'Mul', 'Add', 'Prelu']);
    for (const name of Object.keys(a.tensors)) expect(b.tensors[name]!.data).toEqual(a.tensors[name]!.data);
  });

  it('tfjs Resizing is left unsupported: its output shape drops the batch dimension', () => {
    const x = tf.input({ shape: [4, 4, 2] });
    expect((L.resizing({ height: 8, width: 8 }).apply(x) as Sym).shape).toEqual([8, 8, 4]);
  });
});
