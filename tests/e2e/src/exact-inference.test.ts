import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '@qatkit/core';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { mobilenetV2, resnet } from '@qatkit/models';
import { calibrate, initBackend, quantizeModel, setExactInference, toGraph } from '@qatkit/tfjs';
import { runDeployed } from './deployed.js';

/**
 * Integer-exact inference against LiteRT: a QAT MobileNetV2 predicts every int8 value of every
 * layer exactly as XNNPACK computes it — not within one step, the same level — while the float
 * fake-quant path lands values a step away that depth then amplifies.
 */

let rt: LiteRt;
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

/** Random BatchNorm statistics, so the folded weights and ranges look trained. */
function withBatchNormStatistics(model: tf.LayersModel): tf.LayersModel {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() !== 'BatchNormalization') return;
    const shapes = layer.getWeights().map((w) => w.shape);
    const k = shapes.length;
    layer.setWeights(shapes.map((s, j) => (j === k - 1 ? tf.randomUniform(s, 0.5, 2, 'float32', i) : tf.randomNormal(s, j === 0 ? 1 : 0, 0.2, 'float32', i + j + 1))));
  });
  return model;
}

/**
 * Branches into a concatenation (each branch takes the concatenation's grid), an average pool
 * (the conv after it reads a tied grid), a depthwise conv, and a dense head on a flatten.
 */
function branchy(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotNormal({ seed });
  const input = tf.input({ shape: [16, 16, 3] });
  const a = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 8, kernelSize: 1, activation: 'relu', kernelInitializer: init(2) }).apply(input) as tf.SymbolicTensor;
  let x = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: init(3) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.averagePooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: init(4) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 10, kernelInitializer: init(5) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

/** Every value an op makes that the QAT model fake-quantizes, as extra outputs of both models. */
function probeAll(qat: tf.LayersModel, graph: Graph): { qat: tf.LayersModel; graph: Graph } {
  const layerOf = (t: string) => `${t.replace(/\//g, '__')}_act_quant`;
  const names = new Set(qat.layers.map((l) => l.name));
  const values = graph.ops.flatMap((op) => op.outputs).filter((t) => names.has(layerOf(t)) && !graph.outputs.includes(t));
  return {
    qat: tf.model({ inputs: qat.inputs, outputs: [...qat.outputs, ...values.map((t) => qat.getLayer(layerOf(t)).output as tf.SymbolicTensor)] }),
    graph: { ...graph, outputs: [...graph.outputs, ...values] },
  };
}

/** Values (over all outputs and samples) whose int8 level differs between predict and LiteRT. */
function levelsApart(model: tf.LayersModel, graph: Graph, xs: tf.Tensor, deployed: Float32Array[][]): { apart: number; total: number } {
  const expected = tf.tidy(() => (model.predict(xs) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array));
  let apart = 0;
  let total = 0;
  expected.forEach((e, k) => {
    const step = graph.tensors[graph.outputs[k]!]!.quantization!.scale[0]!;
    const per = e.length / deployed.length;
    deployed.forEach((outs, s) => {
      for (let j = 0; j < per; j++) if (Math.round(Math.abs(outs[k]![j]! - e[s * per + j]!) / step) > 0) apart++;
    });
    total += e.length;
  });
  return { apart, total };
}

describe('integer-exact inference on LiteRT', () => {
  it.each([
    ['MobileNetV2 0.35', () => mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], classes: 10, seed: 5 })],
    ['ResNet-20', () => resnet({ depth: 20, inputShape: [32, 32, 3], classes: 10, seed: 5 })],
    ['branches, concatenation, average pool', branchy],
  ] as const)('%s: every int8 value of every layer is the level LiteRT computes', async (_name, build) => {
    const model = withBatchNormStatistics(build());
    const shape = model.inputs[0]!.shape.slice(1) as number[];
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([16, ...shape], 0, 1, 'float32', 1)]);
    const probe = probeAll(qat, toGraph(qat));
    const xs = tf.randomUniform([8, ...shape], 0, 1, 'float32', 2);
    const deployed = await runDeployed(rt, probe.graph, 'float32', [xs]);
    const exact = levelsApart(probe.qat, probe.graph, xs, deployed);
    expect(exact.total).toBeGreaterThan(10_000);
    expect(exact.apart).toBe(0);
    // The float fake-quant path: values a step away, more with depth.
    setExactInference(qat, false);
    const float = levelsApart(probe.qat, probe.graph, xs, deployed);
    expect(float.apart).toBeGreaterThan(0);
    model.dispose();
    qat.dispose();
  });
});

describe('a symmetric input range', () => {
  it('[-1, 1]: the exported input grid is the trained one, up to the top of the range', async () => {
    // float64 puts this zero point at an exact half (−0.5), float32 training just below it (−1).
    const model = branchy();
    const qat = quantizeModel(model, { inputRange: [-1, 1] });
    calibrate(qat, [tf.randomUniform([16, 16, 16, 3], -1, 1, 'float32', 1)]);
    const probe = probeAll(qat, toGraph(qat));
    expect(probe.graph.tensors[probe.graph.inputs[0]!]!.quantization!.zeroPoint).toEqual([-1]);
    // Values at and near both ends of the range, where the two grids would differ.
    const xs = tf.tidy(() => tf.clipByValue(tf.randomUniform([8, 16, 16, 3], -1.2, 1.2, 'float32', 2), -1, 1));
    const deployed = await runDeployed(rt, probe.graph, 'float32', [xs]);
    expect(levelsApart(probe.qat, probe.graph, xs, deployed).apart).toBe(0);
    model.dispose();
    qat.dispose();
  });
});
