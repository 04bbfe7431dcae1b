import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCnn, fitWithProgress, loadFashionMnist, toTensors } from '@qatkit/cli';
import type { Graph } from '@qatkit/core';
import { exportOnnx } from '@qatkit/exporter-onnx';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { mobilenetV2, resnet } from '@qatkit/models';
import { loadOnnxRuntime, type OnnxRuntime } from '@qatkit/onnx-runner';
import { calibrate, initBackend, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';
import { agreement, maxRelativeDifference, runBoth } from './both-runtimes.js';
import { checkModels } from './onnx-checker.js';
import { histogram, readNodes, unfused } from './read-nodes.js';

/**
 * The acceptance models through both exporters: the demo CNN (BatchNorm, trained briefly on
 * the committed Fashion-MNIST subset), MobileNetV2 0.35 at 96×96 and ResNet-20 from @qatkit/models.
 * The int8 ONNX on onnxruntime must compute what the int8 TFLite computes on LiteRT (within one
 * step on ≥ 99% of elements, argmax ≥ 99%), the float ONNX what the float TFLite computes; every
 * file passes onnx.checker; onnxruntime fuses the QDQ form into QLinear ops.
 */

let rt: LiteRt;
let ort: OnnxRuntime;
let dir: string;
const exported: Record<string, Uint8Array> = {};

beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
  ort = await loadOnnxRuntime();
  dir = mkdtempSync(join(tmpdir(), 'qatkit-onnx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Random BatchNorm statistics and a sharper head, as a trained model has (see tests/e2e architectures.test.ts). */
function trainedLooking(model: tf.LayersModel): tf.LayersModel {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() !== 'BatchNormalization') return;
    const shapes = layer.getWeights().map((w) => w.shape);
    const k = shapes.length;
    layer.setWeights(shapes.map((s, j) => (j === k - 1 ? tf.randomUniform(s, 0.5, 2, 'float32', i) : j === k - 2 ? tf.randomNormal(s, 0, 0.2, 'float32', i + 1) : tf.randomNormal(s, j === 0 ? 1 : 0, 0.2, 'float32', i + 2))));
  });
  const head = model.getLayer('predictions');
  head.setWeights(head.getWeights().map((w, j) => (j === 0 ? tf.mul(w, 20) : w)));
  return model;
}

interface Case {
  readonly model: tf.LayersModel;
  readonly qatGraph: Graph;
  readonly floatGraph: Graph;
  readonly test: Float32Array;
  readonly n: number;
}

async function demoCnn(): Promise<Case> {
  const data = await loadFashionMnist(new URL('../../../apps/cli/data/fashion-mnist-subset', import.meta.url).pathname);
  const train = toTensors(data.train, 1024);
  const model = buildDemoCnn(7);
  await fitWithProgress(model, train.xs, train.ys, { epochs: 1, batchSize: 64, learningRate: 2e-3, label: 'onnx float' });
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  await fitWithProgress(qat, train.xs, train.ys, { epochs: 1, batchSize: 64, learningRate: 2e-4, label: 'onnx QAT' });
  const test = toTensors(data.test, 200).xs;
  return { model, qatGraph: toGraph(qat), floatGraph: toFloatGraph(model), test: test.dataSync() as Float32Array, n: 200 };
}

function reference(build: () => tf.LayersModel, n: number): Case {
  const model = trainedLooking(build());
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  calibrate(qat, [tf.randomUniform([32, ...shape], 0, 1, 'float32', 1)]);
  const graph = toGraph(qat);
  // The logits (the softmax's input) as a second output: a softmax magnifies one step of its input.
  const softmax = graph.ops.find((op) => op.kind === 'Softmax')!;
  const test = tf.randomUniform([n, ...shape], 0, 1, 'float32', 2).dataSync() as Float32Array;
  return { model, qatGraph: { ...graph, outputs: [...graph.outputs, softmax.inputs[0]!] }, floatGraph: toFloatGraph(model), test, n };
}

const MODELS = [
  ['demo CNN + BatchNorm, Fashion-MNIST', demoCnn],
  ['MobileNetV2 0.35, 96×96×3', async () => reference(() => mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10, seed: 3 }), 24)],
  ['ResNet-20, 32×32×3', async () => reference(() => resnet({ depth: 20, inputShape: [32, 32, 3], classes: 10, seed: 3 }), 48)],
] as const;

describe.each(MODELS)('%s', (name, build) => {
  let c: Case;
  beforeAll(async () => {
    c = await build();
  }, 300_000);

  it('int8 ONNX on onnxruntime agrees with int8 TFLite on LiteRT (integer I/O, every output)', async () => {
    const runs = await runBoth(rt, ort, c.qatGraph, [c.test], c.n, { io: 'int8' });
    c.qatGraph.outputs.forEach((out, k) => {
      const a = agreement(runs.tflite, runs.onnx, k);
      console.log(`${name} ${out}: ${(100 * a.withinOneStep).toFixed(2)}% of ${a.elements} within one step, max ${a.maxSteps} steps, argmax ${(100 * a.argmax).toFixed(1)}%`);
      expect(a.withinOneStep).toBeGreaterThanOrEqual(0.99);
      expect(a.argmax).toBeGreaterThanOrEqual(0.99);
    });
    // uint8 activations inside (zero points + 128) give the same integers at the int8 edges, up to
    // the rounding of the kernels onnxruntime then fuses (int8 units it runs in float otherwise).
    const shifted = await runBoth(rt, ort, c.qatGraph, [c.test], 8, { io: 'int8', activations: 'uint8' });
    c.qatGraph.outputs.forEach((_, k) => expect(agreement(shifted.tflite, shifted.onnx, k).withinOneStep).toBeGreaterThanOrEqual(0.99));
    exported[`${name} int8 io`] = exportOnnx(c.qatGraph, { io: 'int8' });
  });

  it('float ONNX agrees with float TFLite, and onnxruntime fuses the QDQ model into QLinear ops', async () => {
    const runs = await runBoth(rt, ort, c.floatGraph, [c.test], Math.min(c.n, 8), { io: 'float32' });
    expect(maxRelativeDifference(runs.tflite, runs.onnx)).toBeLessThan(1e-4);
    exported[`${name} float`] = exportOnnx(c.floatGraph);
    // uint8 activations: onnxruntime's x86 build fuses int8 ones only where a tensor has one reader.
    const bytes = exportOnnx(c.qatGraph, { activations: 'uint8' });
    exported[`${name} float32 io, uint8 activations`] = bytes;
    exported[`${name} uint8 io, opset 17`] = exportOnnx(c.qatGraph, { io: 'uint8', opset: 17 });
    const path = join(dir, `${c.qatGraph.name}.opt.onnx`);
    await (await ort.compile(bytes, { optimizedModelFilePath: path })).dispose();
    const nodes = readNodes(readFileSync(path));
    const h = histogram(nodes);
    console.log(`${name}, optimized by onnxruntime: ${JSON.stringify(h)}`);
    const convs = c.qatGraph.ops.filter((op) => op.kind === 'Conv2D' || op.kind === 'DepthwiseConv2D').length;
    expect(h['com.microsoft.QLinearConv']).toBe(convs);
    expect(unfused(nodes, ['Conv', 'Gemm', 'MatMul', 'Add', 'Mul', 'Concat', 'AveragePool', 'GlobalAveragePool'])).toEqual([]);
    expect(h['com.microsoft.QGemm'] ?? 0).toBeGreaterThan(0);
    expect(h['Conv'] ?? 0).toBe(0);
    expect(h['com.microsoft.QLinearGlobalAveragePool'] ?? 0).toBe(c.qatGraph.ops.filter((op) => op.kind === 'Mean').length);
    expect(h['Pad'] ?? 0).toBe(0); // MobileNetV2's ZeroPadding2D is folded into the depthwise convolutions' pads
  });
});

describe('onnx.checker', () => {
  it('passes every model exported above (full_check)', () => {
    expect(Object.keys(exported).length).toBe(MODELS.length * 4);
    expect(checkModels(exported)).toEqual({});
  });
});
