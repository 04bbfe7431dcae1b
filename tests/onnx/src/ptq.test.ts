import * as tf from '@tensorflow/tfjs';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { mobilenetV2 } from '@qatkit/models';
import { loadOnnxRuntime, type OnnxRuntime } from '@qatkit/onnx-runner';
import { CALIBRATION_METHODS, calibrate, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreement, runBoth } from './both-runtimes.js';

/**
 * Post-training quantization gives the same IR as QAT, so the ONNX QDQ export of a PTQ model must
 * run on onnxruntime as its TFLite twin runs on LiteRT: MobileNetV2 (depthwise, residual adds,
 * ReLU6, global pool, a tracked input range), calibrated by each method, no training.
 */

let rt: LiteRt;
let ort: OnnxRuntime;
const float = mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], classes: 10, seed: 8 });
const batches = [0, 1].map((i) => tf.randomUniform([16, 32, 32, 3], 0, 1, 'float32', 40 + i));
const test = Float32Array.from(tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 49).dataSync());

beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
  ort = await loadOnnxRuntime();
});

afterAll(() => {
  tf.dispose(batches);
  float.dispose();
});

describe('PTQ MobileNetV2 on LiteRT and onnxruntime', () => {
  it.each(CALIBRATION_METHODS)('%s: the ONNX QDQ export agrees with the TFLite export (int8 I/O)', async (method) => {
    const qat = quantizeModel(float);
    calibrate(qat, batches, { method });
    const graph = toGraph(qat);
    qat.dispose();
    const runs = await runBoth(rt, ort, graph, [test], 8, { io: 'int8' });
    const a = agreement(runs.tflite, runs.onnx, 0);
    expect(a.withinOneStep).toBeGreaterThanOrEqual(0.99);
    expect(a.argmax).toBeGreaterThanOrEqual(0.875);
  });
});
