import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, type OnnxExportOptions } from '@qatkit/exporter-onnx';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { loadOnnxRuntime, type OnnxRuntime } from '@qatkit/onnx-runner';
import { calibrate, initBackend, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';
import { agreement, maxRelativeDifference, runBoth } from './both-runtimes.js';
import { checkModels } from './onnx-checker.js';

/**
 * One small model per layer family (the families of tests/e2e layers.test.ts, plus the layers
 * that lower to TransposeConv2D, Prelu and the constant Mul/Add of Rescaling): quantized and
 * calibrated, exported as int8 TFLite and as ONNX, run on LiteRT and onnxruntime with the same int8
 * inputs. Int8 outputs within one step on ≥ 99% of elements; float exports within 1e-4.
 */

let rt: LiteRt;
let ort: OnnxRuntime;
const exported: Record<string, Uint8Array> = {};
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
  ort = await loadOnnxRuntime();
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;
type Body = (x: Sym) => Sym;

/**
 * The family's own output is the model output: onnxruntime's kernels and TFLite's round a value
 * near a half step differently now and then (one step), and a Dense after it would add several
 * such steps up. `flatten` adds Flatten → Dense (the NCHW Flatten read by a Dense).
 */
function modelOf(shape: number[], body: Body, flatten = false): tf.LayersModel {
  const input = tf.input({ shape, name: 'x' });
  let y = body(input);
  if (flatten && y.shape.length > 2) y = L.flatten({ name: 'flat' }).apply(y) as Sym;
  if (flatten) y = L.dense({ units: 4, name: 'out' }).apply(y) as Sym;
  return tf.model({ inputs: input, outputs: y, name: 'family' });
}

const img: number[] = [8, 8, 3];
const conv1x1 = (x: Sym, filters = 3) => L.conv2d({ filters, kernelSize: 1 }).apply(x) as Sym;
const FAMILIES: [string, number[], Body, boolean?][] = [
  ['Conv2D stride 2, same padding, relu', img, (x) => L.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(x) as Sym],
  ['Conv2D valid padding, 1×3 kernel, relu6, dilation 2', img, (x) => L.conv2d({ filters: 4, kernelSize: [1, 3], dilationRate: 2, activation: 'relu6' }).apply(x) as Sym],
  ['DepthwiseConv2D depth multiplier 3 + BatchNorm', img, (x) => L.batchNormalization().apply(L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3, padding: 'same' }).apply(x) as Sym) as Sym],
  ['SeparableConv2D', img, (x) => L.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as Sym],
  ['Conv2DTranspose stride 2, same and valid', [4, 4, 3], (x) => L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }).apply(L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as Sym) as Sym],
  ['Dense on rank-2 with BatchNorm and ReLU', [12], (x) => L.reLU().apply(L.batchNormalization().apply(L.dense({ units: 6 }).apply(x) as Sym) as Sym) as Sym],
  ['Dense on rank-3 input', [5, 6], (x) => L.dense({ units: 3, activation: 'relu' }).apply(x) as Sym],
  ['ReLU, ReLU(6), LeakyReLU, ELU', img, (x) => L.elu().apply(L.leakyReLU({ alpha: 0.2 }).apply(L.reLU({ maxValue: 6 }).apply(conv1x1(x)) as Sym) as Sym) as Sym],
  ['PReLU', img, (x) => L.prelu({ alphaInitializer: tf.initializers.randomUniform({ minval: 0, maxval: 0.5, seed: 1 }) }).apply(conv1x1(x)) as Sym],
  ['Activation sigmoid and tanh', img, (x) => L.activation({ activation: 'tanh' }).apply(L.activation({ activation: 'sigmoid' }).apply(conv1x1(x)) as Sym) as Sym],
  ['Add (+ ReLU fused), Multiply, Maximum, Minimum, Average', img, (x) => {
    const a = conv1x1(x);
    const b = conv1x1(x);
    const s = L.reLU().apply(L.add().apply([a, b]) as Sym) as Sym;
    return L.average().apply([L.minimum().apply([L.maximum().apply([L.multiply().apply([s, a]) as Sym, b]) as Sym, a]) as Sym, b]) as Sym;
  }],
  ['Rescaling (constant Mul and Add)', img, (x) => conv1x1(L.rescaling({ scale: 2, offset: -1 }).apply(x) as Sym)],
  ['Concatenate of three branches', img, (x) => L.concatenate().apply([conv1x1(x, 2), L.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x) as Sym, x]) as Sym],
  ['Max and average pooling (same padding)', img, (x) => L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(L.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x) as Sym) as Sym],
  ['GlobalAveragePooling2D', img, (x) => L.globalAveragePooling2d({}).apply(L.conv2d({ filters: 6, kernelSize: 3 }).apply(x) as Sym) as Sym],
  ['GlobalMaxPooling2D', img, (x) => L.globalMaxPooling2d({}).apply(L.conv2d({ filters: 6, kernelSize: 3 }).apply(x) as Sym) as Sym],
  ['ZeroPadding2D folded into a stride-2 DepthwiseConv2D', img, (x) => L.depthwiseConv2d({ kernelSize: 3, strides: 2 }).apply(L.zeroPadding2d({ padding: [[0, 1], [1, 1]] }).apply(x) as Sym) as Sym],
  ['ZeroPadding2D and Cropping2D', img, (x) => L.cropping2D({ cropping: [[1, 0], [2, 1]] }).apply(L.zeroPadding2d({ padding: [[1, 2], [0, 1]] }).apply(x) as Sym) as Sym],
  ['UpSampling2D nearest and bilinear', [4, 4, 2], (x) => L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }).apply(L.upSampling2d({ size: [2, 3] }).apply(x) as Sym) as Sym],
  ['Reshape and Permute', img, (x) => L.permute({ dims: [2, 1, 3] }).apply(L.reshape({ targetShape: [4, 16, 3] }).apply(x) as Sym) as Sym],
  ['Permute of an image, then a conv', img, (x) => conv1x1(L.permute({ dims: [3, 1, 2] }).apply(x) as Sym)],
  ['Softmax layer as the output', [10], (x) => L.softmax().apply(L.dense({ units: 5 }).apply(x) as Sym) as Sym],
  ['Conv, Flatten and Dense', img, (x) => L.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }).apply(x) as Sym, true],
];

// Opsets beyond 13 change some ops (ReduceMean/ReduceMax axes become inputs at 18, HardSwish at 14).
const VARIANTS: (OnnxExportOptions & { io: 'int8' })[] = [{ io: 'int8' }, { io: 'int8', opset: 21, activations: 'uint8' }];

describe.each(FAMILIES)('%s', (name, shape, body, flatten = false) => {
  it('int8 ONNX on onnxruntime agrees with int8 TFLite on LiteRT; float with float', async () => {
    const model = modelOf(shape, body, flatten);
    const data = (n: number, seed: number) => tf.randomUniform([n, ...shape], 0, 1, 'float32', seed);
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [data(16, 1)]);
    const graph = toGraph(qat);
    const test = data(16, 4).dataSync() as Float32Array;
    for (const options of VARIANTS) {
      const runs = await runBoth(rt, ort, graph, [test], 16, options);
      const a = agreement(runs.tflite, runs.onnx, 0);
      expect(a.withinOneStep, `${JSON.stringify(options)}: max ${a.maxSteps} steps`).toBeGreaterThanOrEqual(0.99);
    }
    const floatGraph = toFloatGraph(model);
    const floats = await runBoth(rt, ort, floatGraph, [test], 4, { io: 'float32', opset: 17 });
    expect(maxRelativeDifference(floats.tflite, floats.onnx)).toBeLessThan(1e-4);
    exported[`${name}: int8`] = exportOnnx(graph);
    exported[`${name}: uint8 I/O, opset 17`] = exportOnnx(graph, { io: 'uint8', opset: 17, activations: 'uint8' });
    exported[`${name}: float`] = exportOnnx(floatGraph);
    model.dispose();
    qat.dispose();
  });
});

afterAll(() => tf.disposeVariables());

describe('onnx.checker', () => {
  it('passes every model exported above (full_check)', () => {
    expect(Object.keys(exported).length).toBe(FAMILIES.length * 3);
    expect(checkModels(exported)).toEqual({});
  });
});
