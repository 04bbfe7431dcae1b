import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAgreement } from '@qatkit/cli';
import type { Graph } from '@qatkit/core';
import { readTflite, exportTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { mobilenetV2, resnet } from '@qatkit/models';
import { default8bit } from '@qatkit/scheme-8bit';
import { calibrate, initBackend, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';
import { compareOutput, maxRelativeError, outputStep, predictAll, runDeployed } from './deployed.js';

/**
 * The reference architectures of @qatkit/models, end to end: QAT-wrapped (per-channel and
 * per-tensor weights), exported as int8 TFLite and run on LiteRT, against the QAT model; and the
 * float export against tfjs predict.
 */

let rt: LiteRt;
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

const ARCHS = [
  ['MobileNetV2 0.35, 96×96×3, 10 classes', () => mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10, seed: 3 })],
  ['ResNet-20, 32×32×3, 10 classes', () => resnet({ depth: 20, inputShape: [32, 32, 3], classes: 10, seed: 3 })],
] as const;

/**
 * Trained-looking statistics for a fresh model: random BatchNorm moving statistics (so folding
 * matters) and a sharper classifier (so the top class is decided, as in a trained model, and the
 * argmax comparison means something).
 */
function trainedLooking(model: tf.LayersModel): tf.LayersModel {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'BatchNormalization') {
      const shapes = layer.getWeights().map((w) => w.shape);
      const k = shapes.length;
      layer.setWeights(shapes.map((s, j) => (j === k - 1 ? tf.randomUniform(s, 0.5, 2, 'float32', i) : j === k - 2 ? tf.randomNormal(s, 0, 0.2, 'float32', i + 1) : tf.randomNormal(s, j === 0 ? 1 : 0, 0.2, 'float32', i + 2))));
    }
  });
  const head = model.getLayer('predictions');
  head.setWeights(head.getWeights().map((w, j) => (j === 0 ? tf.mul(w, 20) : w)));
  return model;
}

const images = (model: tf.LayersModel, n: number, seed: number) => [tf.randomUniform([n, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', seed)];

/**
 * The classifier's logits (the softmax's input) as a second output of both models. A softmax
 * turns one step of its input into up to s_in / 4 of its output — several output steps for a
 * confident classifier — so the logits are held to one step, the probabilities to their argmax.
 */
function withLogits(qat: tf.LayersModel, graph: Graph): { qat: tf.LayersModel; graph: Graph } {
  const softmax = graph.ops.find((op) => op.kind === 'Softmax')!;
  const logits = qat.getLayer(`${softmax.inputs[0]!}_act_quant`).output as tf.SymbolicTensor;
  return {
    qat: tf.model({ inputs: qat.inputs, outputs: [...qat.outputs, logits] }),
    graph: { ...graph, outputs: [...graph.outputs, softmax.inputs[0]!] },
  };
}

describe.each(ARCHS)('%s', (_name, build) => {
  it.each([true, false])('deploys on LiteRT as the QAT model computes (per-axis weights: %s)', async (perAxis) => {
    const model = trainedLooking(build());
    const qat = quantizeModel(model, { inputRange: [0, 1], scheme: default8bit({ perAxis }) });
    calibrate(qat, [images(model, 32, 1)]);
    const full = withLogits(qat, toGraph(qat));
    const weights = full.graph.tensors[`${full.graph.ops.find((o) => o.kind === 'Conv2D')!.name}/weights`]!;
    expect(weights.quantization!.scale.length > 1).toBe(perAxis);
    const test = images(model, 32, 2);
    const deployed = await runDeployed(rt, full.graph, 'int8', test);
    const [probabilities, logits] = predictAll(full.qat, test);
    const probs = compareOutput(probabilities!, deployed, 0, outputStep(full.graph, 0));
    expect(probs.argmax, checkAgreement(probs).message).toBeGreaterThanOrEqual(0.99);
    const verdict = checkAgreement(compareOutput(logits!, deployed, 1, outputStep(full.graph, 1)));
    expect(verdict.ok, `logits: ${verdict.message}`).toBe(true);
    model.dispose();
    qat.dispose();
  });

  // Small models carry per-channel scales and int64 zero points (12 bytes a channel, as the official
  // converter writes them) beside their int8 weights: MobileNetV2 0.35 has 14k of them.
  it('exports a float .tflite that matches tfjs predict, and an int8 file under 40% of its size', async () => {
    const model = trainedLooking(build());
    const test = images(model, 4, 5);
    const floatGraph = toFloatGraph(model);
    const deployed = await runDeployed(rt, floatGraph, 'float32', test);
    expect(maxRelativeError(deployed, predictAll(model, test))).toBeLessThan(1e-4);
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [images(model, 8, 6)]);
    const int8 = exportTflite(toGraph(qat), { io: 'int8' });
    const float = exportTflite(floatGraph, { io: 'float32' });
    expect(int8.length).toBeLessThan(float.length * 0.4);
    const ops = readTflite(int8).subgraphs[0]!.operators;
    expect(ops.every((op) => op.opcode !== 'QUANTIZE' && op.opcode !== 'DEQUANTIZE')).toBe(true);
    model.dispose();
    qat.dispose();
  });
});
