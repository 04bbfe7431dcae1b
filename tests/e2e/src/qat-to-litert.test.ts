import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import type { Graph } from '@qatkit/core';
import { accuracy, agreement, buildDemoCnn, checkAgreement, fitWithProgress, floatWeightBytes, loadFashionMnist, predictClasses, runTflite, toTensors } from '@qatkit/cli';

/**
 * The acceptance path of the foundation issue on real data (the committed Fashion-MNIST subset):
 * float training → QAT → int8 TFLite → Google's LiteRT, compared number by number with the QAT model.
 */
const TRAIN = 4000;
const TEST = 1000;

let graph: Graph;
let floatAcc: number;
let qatPred: { classes: Int32Array; logits: Float32Array };
let floatBytes: number;
let labels: Uint8Array;
let test: Awaited<ReturnType<typeof loadFashionMnist>>['test'];
let rt: LiteRt;
const deployedBy = new Map<string, { classes: Int32Array; outputs: Float32Array }>();

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  // Force the committed subset so the test is the same on every machine.
  const data = await loadFashionMnist(new URL('../../../apps/cli/data/fashion-mnist-subset', import.meta.url).pathname);
  test = data.test;
  labels = data.test.labels.subarray(0, TEST);
  const train = toTensors(data.train, TRAIN);
  const testT = toTensors(data.test, TEST);
  const model = buildDemoCnn(7);
  await fitWithProgress(model, train.xs, train.ys, { epochs: 2, batchSize: 64, learningRate: 2e-3, label: 'e2e float' });
  floatAcc = accuracy(predictClasses(model, testT.xs).classes, labels);
  floatBytes = floatWeightBytes(model);
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  await fitWithProgress(qat, train.xs, train.ys, { epochs: 1, batchSize: 64, learningRate: 2e-4, label: 'e2e QAT' });
  qatPred = predictClasses(qat, testT.xs);
  graph = toGraph(qat);
  rt = await loadLiteRt();
}, 600_000);

describe('QAT model → int8 TFLite → LiteRT', () => {
  it.each(['float32', 'uint8', 'int8'] as const)('%s-I/O export loads in LiteRT and agrees with the QAT model', async (io) => {
    const bytes = exportTflite(graph, { io });
    const deployed = await runTflite(rt, bytes, graph, io, test, TEST);
    deployedBy.set(io, deployed);
    const step = graph.tensors[graph.outputs[0]!]!.quantization!.scale[0]!;
    const a = agreement(deployed, qatPred.classes, qatPred.logits, step);
    console.log(`${io}: argmax agreement ${a.argmax}, within one step ${a.withinOneStep}, max ${a.maxSteps.toFixed(2)} steps`);
    expect(a.withinOneStep).toBeGreaterThanOrEqual(0.99);
    // The rule `qatkit demo` exits 3 on (≥ 99% of outputs within one step, all finite), with its message.
    const verdict = checkAgreement(a);
    expect(verdict.ok, verdict.message).toBe(true);
    expect(a.argmax).toBeGreaterThanOrEqual(0.99);
    // Deployed accuracy tracks float accuracy (the demo measures the 1-point bar on the full test set).
    expect(accuracy(deployed.classes, labels)).toBeGreaterThan(floatAcc - 0.02);
    expect(floatAcc).toBeGreaterThan(0.7);
  });

  it('gives the same outputs and classes whatever the I/O type (the int8 core is the same)', () => {
    const [a, b, c] = ['float32', 'uint8', 'int8'].map((io) => deployedBy.get(io)!);
    expect(Array.from(b!.outputs)).toEqual(Array.from(a!.outputs));
    expect(Array.from(c!.outputs)).toEqual(Array.from(a!.outputs));
    expect(Array.from(b!.classes)).toEqual(Array.from(a!.classes));
    expect(Array.from(c!.classes)).toEqual(Array.from(a!.classes));
  });

  it('writes a full-integer model: int8 weights and activations, int32 biases, per-channel convs', () => {
    const m = readTflite(exportTflite(graph, { io: 'uint8' }));
    const sg = m.subgraphs[0]!;
    expect(sg.operators.map((o) => o.opcode)).toEqual(['QUANTIZE', 'CONV_2D', 'MAX_POOL_2D', 'CONV_2D', 'MAX_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'QUANTIZE']);
    const types = new Set(sg.tensors.map((t) => t.type));
    expect([...types].sort()).toEqual(['INT32', 'INT8', 'UINT8']);
    const conv1w = sg.tensors.find((t) => t.name === 'conv1/weights')!;
    expect(conv1w.quantization!.scale).toHaveLength(16);
    expect(conv1w.quantization!.quantizedDimension).toBe(0);
  });

  it('is at most 30% of the float weights and byte-identical when exported twice', () => {
    const a = exportTflite(graph, { io: 'float32' });
    const b = exportTflite(graph, { io: 'float32' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    console.log(`int8 tflite ${a.length} B vs float weights ${floatBytes} B (${((100 * a.length) / floatBytes).toFixed(1)}%)`);
    expect(a.length / floatBytes).toBeLessThanOrEqual(0.3);
  });
});

afterAll(() => {
  tf.disposeVariables();
});

