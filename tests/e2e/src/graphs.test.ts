import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAgreement } from '@qatkit/cli';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { calibrate, initBackend, planOf, quantizeAnnotateLayer, quantizeApply, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';
import { compareOutput, maxRelativeError, outputStep, predictAll, runDeployed } from './deployed.js';

/**
 * Functional graphs through QAT → int8 TFLite → LiteRT: branches, residual adds, BatchNorm folded
 * into convs, depthwise convs, concatenation, shared and nested layers, several inputs and
 * outputs. Each must agree with its QAT model (≥ 99% of outputs within one step), and its float
 * export with tfjs predict.
 */

let rt: LiteRt;
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

/** conv → BN → ReLU, Keras style (no conv bias before BN). */
function convBn(x: Sym, filters: number, name: string, strides = 1, relu = true): Sym {
  let y = L.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, name }).apply(x) as Sym;
  y = L.batchNormalization({ name: `${name}_bn` }).apply(y) as Sym;
  return relu ? (L.reLU({ name: `${name}_relu` }).apply(y) as Sym) : y;
}

function residual(): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3], name: 'image' });
  const stem = convBn(input, 8, 'stem');
  let y = convBn(stem, 8, 'b1_conv1');
  y = convBn(y, 8, 'b1_conv2', 1, false);
  y = L.add({ name: 'b1_add' }).apply([stem, y]) as Sym;
  y = L.reLU({ name: 'b1_out' }).apply(y) as Sym;
  y = L.globalAveragePooling2d({ name: 'gap' }).apply(y) as Sym;
  return tf.model({ inputs: input, outputs: L.dense({ units: 5, activation: 'softmax', name: 'head' }).apply(y) as Sym, name: 'residual' });
}

function mobileBlock(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 4], name: 'image' });
  let y = L.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'pad' }).apply(input) as Sym;
  y = L.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2, useBias: false, name: 'dw' }).apply(y) as Sym;
  y = L.batchNormalization({ name: 'dw_bn' }).apply(y) as Sym;
  y = L.reLU({ maxValue: 6, name: 'dw_relu6' }).apply(y) as Sym;
  y = L.conv2d({ filters: 6, kernelSize: 1, useBias: false, name: 'project' }).apply(y) as Sym;
  y = L.batchNormalization({ name: 'project_bn' }).apply(y) as Sym;
  y = L.averagePooling2d({ poolSize: 2, name: 'avg' }).apply(y) as Sym;
  y = L.flatten({ name: 'flat' }).apply(y) as Sym;
  return tf.model({ inputs: input, outputs: L.dense({ units: 4, name: 'logits' }).apply(y) as Sym, name: 'mobile_block' });
}

function branchy(): tf.LayersModel {
  const a = tf.input({ shape: [8, 8, 2], name: 'a' });
  const b = tf.input({ shape: [8, 8, 2], name: 'b' });
  const shared = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'shared' });
  const inner = tf.sequential({ name: 'inner', layers: [L.conv2d({ inputShape: [8, 8, 4], filters: 4, kernelSize: 1, name: 'inner_conv' }), L.activation({ activation: 'relu6', name: 'inner_relu6' })] });
  const ya = shared.apply(a) as Sym;
  const yb = inner.apply(shared.apply(b) as Sym) as Sym;
  const pooled = L.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(ya) as Sym;
  const up = L.upSampling2d({ size: [2, 2], name: 'up' }).apply(pooled) as Sym;
  const cat = L.concatenate({ name: 'cat' }).apply([ya, yb, up]) as Sym;
  const scores = L.dense({ units: 3, activation: 'sigmoid', name: 'scores' }).apply(L.globalMaxPooling2d({ name: 'gmp' }).apply(cat) as Sym) as Sym;
  const map = L.conv2d({ filters: 1, kernelSize: 1, activation: 'tanh', name: 'map' }).apply(cat) as Sym;
  return tf.model({ inputs: [a, b], outputs: [scores, map], name: 'branchy' });
}

/** Random BN statistics, so folding is exercised (fresh BN layers are the identity). */
function randomizeBatchNorms(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() !== 'BatchNormalization') return;
    const shapes = layer.getWeights().map((w) => w.shape);
    layer.setWeights(shapes.map((s, k) => (k === 3 ? tf.randomUniform(s, 0.5, 2, 'float32', seed + i) : tf.randomNormal(s, k === 0 ? 1 : 0, 0.3, 'float32', seed + i * 7 + k))));
  });
}

const inputsFor = (model: tf.LayersModel, n: number, seed: number) => model.inputs.map((t, k) => tf.randomUniform([n, ...(t.shape.slice(1) as number[])], 0, 1, 'float32', seed + k));

describe.each([
  ['a residual block with BatchNorm', residual],
  ['a MobileNet block (pad, stride-2 depthwise ×2, BN, ReLU6, 1×1 project, avg pool)', mobileBlock],
  ['two inputs, a shared conv, a nested Sequential, concat of 3, upsampling, two outputs', branchy],
])('%s', (_name, build) => {
  it('deploys on LiteRT as the QAT model computes (float32 and int8 I/O), after training', async () => {
    const model = build();
    randomizeBatchNorms(model, 3);
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [inputsFor(model, 16, 1)]);
    // A few training steps: BN statistics and weights move, ranges follow.
    qat.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    const xs = inputsFor(model, 16, 5);
    const ys = qat.outputs.map((o, k) => tf.randomUniform([16, ...(o.shape.slice(1) as number[])], 0, 1, 'float32', 9 + k));
    await qat.fit(xs, ys.length === 1 ? ys[0]! : ys, { epochs: 2, batchSize: 8, verbose: 0 });
    const test = inputsFor(model, 48, 7);
    const expected = predictAll(qat, test);
    const graph = toGraph(qat);
    for (const io of ['float32', 'int8'] as const) {
      const deployed = await runDeployed(rt, graph, io, test);
      expected.forEach((e, k) => {
        const verdict = checkAgreement(compareOutput(e, deployed, k, outputStep(graph, k)));
        expect(verdict.ok, `${io} output ${k}: ${verdict.message}`).toBe(true);
      });
    }
  });

  it('exports the float model as a float .tflite that matches tfjs predict', async () => {
    const model = build();
    randomizeBatchNorms(model, 4);
    const test = inputsFor(model, 6, 11);
    const deployed = await runDeployed(rt, toFloatGraph(model), 'float32', test);
    expect(maxRelativeError(deployed, predictAll(model, test))).toBeLessThan(1e-4);
  });
});

describe('a residual Add + ReLU whose sum is never positive', () => {
  it('gets an output scale floor in QAT (core addFloor) and deploys as trained', async () => {
    const input = tf.input({ shape: [6], name: 'x' });
    const a = L.dense({ units: 4, name: 'a' }).apply(input) as Sym;
    const b = L.dense({ units: 4, name: 'b' }).apply(input) as Sym;
    const dead = L.reLU({ name: 'dead' }).apply(L.add({ name: 'sum' }).apply([a, b]) as Sym) as Sym;
    const model = tf.model({ inputs: input, outputs: L.dense({ units: 3, name: 'out' }).apply(dead) as Sym });
    for (const name of ['a', 'b']) model.getLayer(name).setWeights([tf.fill([6, 4], 0.1), tf.fill([4], -5)]);
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([16, 6], 0, 1, 'float32', 1)]);
    const graph = toGraph(qat);
    const inScale = Math.max(...['a', 'b'].map((n) => graph.tensors[n]!.quantization!.scale[0]!));
    // Without the floor the range [0, 0] gives a scale ~4e-9 and LiteRT's ADD aborts.
    expect(graph.tensors['dead']!.quantization!.scale[0]).toBeCloseTo(inScale / 2 ** 18, 12);
    const test = [tf.randomUniform([16, 6], 0, 1, 'float32', 2)];
    const deployed = await runDeployed(rt, graph, 'int8', test);
    const verdict = checkAgreement(compareOutput(predictAll(qat, test)[0]!, deployed, 0, outputStep(graph, 0)));
    expect(verdict.ok, verdict.message).toBe(true);
  });
});

describe('average pooling', () => {
  it('rounds exact ties away from zero on the int8 grid, as LiteRT does', async () => {
    const input = tf.input({ shape: [2, 8, 1], name: 'image' });
    const model = tf.model({ inputs: input, outputs: L.averagePooling2d({ poolSize: 2, name: 'avg' }).apply(input) as Sym });
    const qat = quantizeModel(model, { inputRange: [-1, 1] });
    const graph = toGraph(qat);
    const q = graph.tensors[graph.inputs[0]!]!.quantization!;
    const [s, zp] = [q.scale[0]!, q.zeroPoint[0]!];
    // 2×2 windows of raw int8 values averaging to -1.5, 1.5, -2.5, 2.5: every output is a tie.
    const raws = [-3, -1, 3, 1, -5, -4, 5, 4, -1, -1, 1, 1, -1, 0, 1, 0];
    const x = tf.tensor4d(raws.map((r) => (r - zp) * s), [1, 2, 8, 1]);
    const levels = (v: Float32Array) => Array.from(v, (y) => Math.round(y / s + zp));
    expect(levels(predictAll(qat, [x])[0]!)).toEqual([-2, 2, -3, 3]);
    expect(levels((await runDeployed(rt, graph, 'int8', [x]))[0]![0]!)).toEqual([-2, 2, -3, 3]);
  });
});

describe('the plan', () => {
  it('is data: conv+BN+ReLU fuse into one node, the residual add stays, and the QAT model carries it', () => {
    const qat = quantizeModel(residual());
    const plan = planOf(qat)!;
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    const stem = plan.nodes.find((n) => n.name === 'stem')!;
    expect(stem).toMatchObject({ op: 'Conv2D', layers: ['stem', 'stem_bn', 'stem_relu'], activation: 'relu', id: 'stem_relu', batchNorm: { layer: 'stem_bn' } });
    expect(plan.nodes.find((n) => n.op === 'Add')).toMatchObject({ inputs: ['stem_relu', 'b1_conv2_bn'], activation: 'relu', id: 'b1_out' });
    expect(plan.nodes.map((n) => n.op)).toEqual(['Conv2D', 'Conv2D', 'Conv2D', 'Add', 'Mean', 'FullyConnected', 'Softmax']);
  });
});

describe('quantizeAnnotateLayer + quantizeApply', () => {
  it('quantizes only the two marked layers; the export mixes int8 and float and agrees on LiteRT', async () => {
    const model = residual();
    randomizeBatchNorms(model, 5);
    quantizeAnnotateLayer(model.getLayer('b1_conv2'));
    quantizeAnnotateLayer(model.getLayer('head'));
    const qat = quantizeApply(model, { inputRange: [0, 1] });
    calibrate(qat, [inputsFor(model, 16, 2)]);
    const graph = toGraph(qat);
    const int8Ops = graph.ops.filter((op) => graph.tensors[op.outputs[0]!]!.dtype === 'int8').map((op) => `${op.kind}:${op.name}`);
    expect(int8Ops).toEqual(['Quantize:b1_conv1_relu_quantized', 'Conv2D:b1_conv2', 'Quantize:gap_quantized', 'FullyConnected:head', 'Softmax:head_softmax']);
    expect(graph.ops.filter((op) => op.kind === 'Dequantize').map((op) => op.name)).toEqual(['b1_conv2_bn_dequantized']);
    const summary = readTflite(exportTflite(graph, { io: 'float32' })).subgraphs[0]!;
    const typeOf = (name: string) => summary.tensors.find((t) => t.name === name)!.type;
    expect([typeOf('stem_relu'), typeOf('b1_conv2_bn'), typeOf('b1_out'), typeOf('head')]).toEqual(['FLOAT32', 'INT8', 'FLOAT32', 'INT8']);
    const test = inputsFor(model, 12, 8);
    const deployed = await runDeployed(rt, graph, 'float32', test);
    const verdict = checkAgreement(compareOutput(predictAll(qat, test)[0]!, deployed, 0, outputStep(graph, 0)));
    expect(verdict.ok, verdict.message).toBe(true);
  });

  it('refuses a model with nothing annotated', () => {
    expect(() => quantizeApply(residual())).toThrow(/has no annotated layer: mark layers with quantizeAnnotateLayer/);
  });
});
