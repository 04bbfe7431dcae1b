import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quantizeAnnotateLayer, quantizeApply } from '../annotate.js';
import { calibrate } from '../quantize-model.js';
import { toGraph } from '../to-graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

describe('layers left float by quantizeApply', () => {
  it('run as their own (cloned) layer however many ops they lower to, and export as those ops in float', () => {
    const x = tf.input({ shape: [6, 6, 2], name: 'x' });
    const sep = L.separableConv2d({ filters: 3, kernelSize: 3, activation: 'sigmoid', name: 'sep' }).apply(x) as Sym;
    const avg = L.average({ name: 'avg' }).apply([sep, L.conv2d({ filters: 3, kernelSize: 3, name: 'c' }).apply(x) as Sym]) as Sym;
    const out = quantizeAnnotateLayer(L.dense({ units: 2, name: 'out' })).apply(L.flatten({ name: 'f' }).apply(avg)) as Sym;
    const model = tf.model({ inputs: x, outputs: out });
    const qat = quantizeApply(model, { inputRange: [0, 1] });
    expect(qat.layers.map((l) => l.getClassName())).toEqual(expect.arrayContaining(['SeparableConv2D', 'Average', 'QatkitQuantDense']));
    const data = tf.randomUniform([4, 6, 6, 2], 0, 1, 'float32', 5);
    calibrate(qat, [data]);
    const floatPart = (m: tf.LayersModel) => tf.model({ inputs: m.inputs, outputs: m.getLayer('f').output as Sym }).predict(data) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(floatPart(model), floatPart(qat)))).dataSync()[0]).toBeLessThan(1e-6);
    const ops = toGraph(qat).ops.map((o) => o.kind);
    expect(ops).toEqual(['DepthwiseConv2D', 'Conv2D', 'Logistic', 'Conv2D', 'Add', 'Mul', 'Reshape', 'Quantize', 'FullyConnected']);
  });
});
