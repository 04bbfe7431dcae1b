import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAgreement } from '@qatkit/cli';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { calibrate, initBackend, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';
import { compareOutput, maxRelativeError, outputStep, predictAll, runDeployed } from './deployed.js';
import { MORE_FAMILIES, type Body } from './layer-families.js';

/**
 * One small model per layer family, each end to end: QAT-wrapped, trained a step, exported as
 * int8 TFLite and run on LiteRT (≥ 99% of outputs within one step of the QAT model), and exported
 * as float TFLite (within 1e-4 of tfjs predict).
 */

let rt: LiteRt;
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

/** A model: input of `shape` → body → (flatten) → dense(4), so every family feeds a real op. */
function modelOf(shape: number[], body: Body, flatten = true): tf.LayersModel {
  const input = tf.input({ shape, name: 'x' });
  let y = body(input);
  if (flatten && y.shape.length > 2) y = L.flatten({ name: 'flat' }).apply(y) as Sym;
  if (flatten) y = L.dense({ units: 4, name: 'out' }).apply(y) as Sym;
  return seeded(tf.model({ inputs: input, outputs: y, name: 'family' }));
}

/** Seeded weights (tfjs initializers are not), so every run tests the same model. */
function seeded(model: tf.LayersModel): tf.LayersModel {
  model.layers.forEach((layer, i) => {
    const weights = layer.weights;
    if (weights.length === 0) return;
    layer.setWeights(
      weights.map((w, k) =>
        /variance/.test(w.name) ? tf.randomUniform(w.shape as number[], 0.5, 2, 'float32', 100 * i + k) : tf.randomUniform(w.shape as number[], -0.6, 0.6, 'float32', 100 * i + k),
      ),
    );
  });
  return model;
}

const img: number[] = [8, 8, 3];
const FAMILIES: [string, number[], Body, boolean?][] = [
  ['Conv2D stride 2, same padding', img, (x) => L.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(x) as Sym],
  ['Conv2D valid padding, 1×3 kernel, relu6 activation', img, (x) => L.conv2d({ filters: 4, kernelSize: [1, 3], activation: 'relu6' }).apply(x) as Sym],
  ['DepthwiseConv2D depth multiplier 3 + BatchNorm', img, (x) => L.batchNormalization().apply(L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3, padding: 'same' }).apply(x) as Sym) as Sym],
  ['Dense on rank-2 with BatchNorm and ReLU', [12], (x) => L.reLU().apply(L.batchNormalization().apply(L.dense({ units: 6 }).apply(x) as Sym) as Sym) as Sym],
  ['Dense on rank-3 input', [5, 6], (x) => L.dense({ units: 3, activation: 'relu' }).apply(x) as Sym],
  ['ReLU, ReLU(6), LeakyReLU, ELU', img, (x) => L.elu().apply(L.leakyReLU({ alpha: 0.2 }).apply(L.reLU({ maxValue: 6 }).apply(L.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as Sym) as Sym) as Sym) as Sym],
  ['Activation sigmoid and tanh', img, (x) => L.activation({ activation: 'tanh' }).apply(L.activation({ activation: 'sigmoid' }).apply(L.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as Sym) as Sym) as Sym],
  ['Add (+ ReLU fused), Multiply, Maximum, Minimum', img, (x) => {
    const a = L.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as Sym;
    const b = L.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as Sym;
    const s = L.reLU().apply(L.add().apply([a, b]) as Sym) as Sym;
    return L.minimum().apply([L.maximum().apply([L.multiply().apply([s, a]) as Sym, b]) as Sym, a]) as Sym;
  }],
  ['Concatenate of three branches', img, (x) => L.concatenate().apply([L.conv2d({ filters: 2, kernelSize: 1 }).apply(x) as Sym, L.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x) as Sym, x]) as Sym],
  ['Max and average pooling (same padding, stride 1)', img, (x) => L.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(L.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x) as Sym) as Sym],
  ['GlobalAveragePooling2D', img, (x) => L.globalAveragePooling2d({}).apply(L.conv2d({ filters: 6, kernelSize: 3 }).apply(x) as Sym) as Sym],
  ['GlobalMaxPooling2D', img, (x) => L.globalMaxPooling2d({}).apply(L.conv2d({ filters: 6, kernelSize: 3 }).apply(x) as Sym) as Sym],
  ['ZeroPadding2D and Cropping2D', img, (x) => L.cropping2D({ cropping: [[1, 0], [2, 1]] }).apply(L.zeroPadding2d({ padding: [[1, 2], [0, 1]] }).apply(x) as Sym) as Sym],
  ['UpSampling2D nearest and bilinear', [4, 4, 2], (x) => L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }).apply(L.upSampling2d({ size: [2, 3] }).apply(x) as Sym) as Sym],
  ['Reshape and Permute', img, (x) => L.permute({ dims: [2, 1, 3] }).apply(L.reshape({ targetShape: [4, 16, 3] }).apply(x) as Sym) as Sym],
  ['Dropout, GaussianDropout, AlphaDropout and GaussianNoise vanish', img, (x) => L.gaussianNoise({ stddev: 0.1 }).apply(L.alphaDropout({ rate: 0.1 }).apply(L.gaussianDropout({ rate: 0.2 }).apply(L.dropout({ rate: 0.3 }).apply(x) as Sym) as Sym) as Sym) as Sym],
  ['Softmax layer as the output', [10], (x) => L.softmax().apply(L.dense({ units: 5 }).apply(x) as Sym) as Sym, false],
  ...MORE_FAMILIES,
];

describe.each(FAMILIES)('%s', (_name, shape, body, flatten = true) => {
  it('deploys on LiteRT as the QAT model computes, and exports as float', async () => {
    const model = modelOf(shape, body, flatten);
    const data = (n: number, seed: number) => tf.randomUniform([n, ...shape], 0, 1, 'float32', seed);
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [data(16, 1)]);
    qat.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    await qat.fit(data(16, 2), tf.randomUniform([16, ...(qat.outputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 3), { epochs: 1, batchSize: 8, verbose: 0 });
    const test = [data(32, 4)];
    const graph = toGraph(qat);
    const deployed = await runDeployed(rt, graph, 'int8', test);
    const verdict = checkAgreement(compareOutput(predictAll(qat, test)[0]!, deployed, 0, outputStep(graph, 0)));
    expect(verdict.ok, verdict.message).toBe(true);
    const floatDeployed = await runDeployed(rt, toFloatGraph(model), 'float32', test);
    expect(maxRelativeError(floatDeployed, predictAll(model, test))).toBeLessThan(1e-4);
  });
});
