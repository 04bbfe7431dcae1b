// The models the export, deployed-latency and check benches share: a float model, its QAT model
// calibrated on random images (ranges only matter for accuracy, not for speed or size), and both
// as IR graphs with batch 1.
import * as tf from '@tensorflow/tfjs';
import type { Graph } from '@qatkit/core';
import { fashionCnn, mobilenetV2 } from '@qatkit/models';
import { calibrate, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';

export interface ModelFixture {
  readonly key: 'cnn' | 'mbv2';
  readonly name: string;
  readonly params: number;
  readonly model: tf.LayersModel;
  readonly qat: tf.LayersModel;
  readonly graph: Graph;
  readonly floatGraph: Graph;
  /** ms of the first toGraph call (the graph above) */
  readonly toGraphMs: number;
}

export const FIXTURE_NAMES = {
  cnn: 'Fashion-MNIST CNN (28×28×1)',
  mbv2: 'MobileNetV2-1.0-224 (1000 classes)',
} as const;

export function buildFloat(key: ModelFixture['key']): tf.LayersModel {
  return key === 'cnn' ? fashionCnn() : mobilenetV2({ alpha: 1, inputShape: [224, 224, 3], classes: 1000 });
}

export function buildFixture(key: ModelFixture['key']): ModelFixture {
  const model = buildFloat(key);
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  const images = tf.randomUniform([2, ...shape], 0, 1, 'float32', 3);
  calibrate(qat, [images]);
  images.dispose();
  const t0 = performance.now();
  const graph = toGraph(qat);
  const toGraphMs = performance.now() - t0;
  return { key, name: FIXTURE_NAMES[key], params: model.countParams(), model, qat, graph, floatGraph: toFloatGraph(model), toGraphMs };
}

export function disposeFixture(f: ModelFixture): void {
  f.model.dispose();
  f.qat.dispose();
}

/** Files written by export.bench.ts for the later benches, per model key. */
export const ARTIFACT_FILES = {
  floatTflite: 'float.tflite',
  int8Tflite: 'int8.tflite',
  int8IoTflite: 'int8-io-int8.tflite',
  floatOnnx: 'float.onnx',
  int8Onnx: 'qdq-int8.onnx',
  uint8Onnx: 'qdq-uint8.onnx',
} as const;
