import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgreement } from '@qatkit/cli';
import { isQatkitError } from '@qatkit/core';
import { exportTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { fashionCnn, mobilenetV2 } from '@qatkit/models';
import { nbit } from '@qatkit/scheme-nbit';
import { CALIBRATION_METHODS, calibrate, initBackend, quantizeModel, toGraph, type CalibrationMethod } from '@qatkit/tfjs';
import { compareOutput, outputStep, predictAll, runDeployed } from './deployed.js';

/**
 * Post-training quantization end to end: a float model (no training), calibrated by each method,
 * exported to int8 TFLite and run on LiteRT, must compute what the calibrated fake-quant model
 * computes (≥ 99 % of outputs within one output step, the demo's rule).
 */

let rt: LiteRt;
const EVAL = 8;

beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

/** Images with a heavy bright tail (most pixels dim, a few saturated), as photos often are. */
function images(n: number, shape: readonly number[], seed: number): tf.Tensor {
  return tf.tidy(() => tf.pow(tf.randomUniform([n, ...shape], 0, 1, 'float32', seed), 3));
}

async function agreementOf(qat: tf.LayersModel, xs: tf.Tensor): Promise<ReturnType<typeof compareOutput>> {
  const graph = toGraph(qat);
  const expected = predictAll(qat, [xs])[0]!;
  const got = await runDeployed(rt, graph, 'float32', [xs]);
  return compareOutput(expected, got, 0, outputStep(graph, 0));
}

const MODELS: [string, () => tf.LayersModel, number[], boolean][] = [
  ['demo CNN (fashionCnn, BatchNorm)', () => fashionCnn({ seed: 3 }), [28, 28, 1], true],
  // Depthwise convs, ReLU6, residual adds and a global average pool; its input range is tracked.
  ['MobileNetV2 0.35 on 32×32×3', () => mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], classes: 10, seed: 4 }), [32, 32, 3], false],
];

describe.each(MODELS)('PTQ of the %s → int8 TFLite → LiteRT', (_name, build, shape, fixedInput) => {
  const float = build();
  const batches = [0, 1, 2].map((i) => images(16, shape, 10 + i));
  const xs = images(EVAL, shape, 99);
  const widths = new Map<CalibrationMethod, number>();

  afterAll(() => {
    tf.dispose([...batches, xs]);
    float.dispose();
  });

  it.each(CALIBRATION_METHODS)('%s: the deployed outputs are within one step of the calibrated model', async (method) => {
    const qat = quantizeModel(float, fixedInput ? { inputRange: [0, 1] } : {});
    const result = calibrate(qat, batches, { method, ...(method === 'percentile' ? { percentile: 99.9 } : {}) });
    expect(result.batches).toBe(3);
    const report = await agreementOf(qat, xs);
    const verdict = checkAgreement(report);
    expect(verdict.ok, verdict.message).toBe(true);
    expect(report.argmax).toBeGreaterThanOrEqual(0.75);
    widths.set(method, result.activations.reduce((s, a) => s + (a.max - a.min), 0));
    qat.dispose();
  });

  it('percentile and MSE give narrower activation ranges than min/max', () => {
    expect(widths.size).toBe(CALIBRATION_METHODS.length);
    expect(widths.get('percentile')!).toBeLessThan(widths.get('minmax')!);
    expect(widths.get('mse')!).toBeLessThan(widths.get('minmax')!);
  });
});

describe('PTQ with 4-bit weights (scheme-nbit) → LiteRT', () => {
  it('mse clips each conv channel to its 4-bit optimum; the deployed model follows the calibrated one', async () => {
    const float = fashionCnn({ seed: 5 });
    const batches = [0, 1].map((i) => images(16, [28, 28, 1], 20 + i));
    const xs = images(EVAL, [28, 28, 1], 98);
    try {
      const clips = (['minmax', 'mse'] as const).map((method) => {
        const qat = quantizeModel(float, { scheme: nbit({ weightBits: 4 }), inputRange: [0, 1] });
        const result = calibrate(qat, batches, { method });
        qat.dispose();
        return result.weights.find((w) => w.layer === 'quant_conv2')?.clip ?? [];
      });
      // minmax leaves the weights alone (no clips reported); mse clips some of conv2's 32 channels.
      expect(clips[0]).toEqual([]);
      expect(clips[1]).toHaveLength(32);
      const qat = quantizeModel(float, { scheme: nbit({ weightBits: 4 }), inputRange: [0, 1] });
      const result = calibrate(qat, batches, { method: 'mse' });
      const conv2 = result.weights.find((w) => w.layer === 'quant_conv2')!;
      expect(conv2.clip.filter((c, i) => c < conv2.absMax[i]!).length).toBeGreaterThan(8);
      const verdict = checkAgreement(await agreementOf(qat, xs));
      expect(verdict.ok, verdict.message).toBe(true);
      qat.dispose();
    } finally {
      tf.dispose([...batches, xs]);
      float.dispose();
    }
  });
});

describe('PTQ on degenerate calibration data (property)', () => {
  /** A conv + BatchNorm + dense model whose input range is tracked, so the data sets every range. */
  const model = tf.sequential({
    name: 'degenerate',
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), name: 'c' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.reLU({ name: 'r' }),
      tf.layers.flatten({ name: 'f' }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), name: 'fc' }),
    ],
  });
  const outcomes = { agreed: 0, refused: 0 };
  afterAll(() => {
    model.dispose();
    process.stdout.write(`degenerate PTQ: ${outcomes.agreed} agreed on LiteRT, ${outcomes.refused} refused with a QatkitError\n`);
  });

  const data = fc.record({
    method: fc.constantFrom(...CALIBRATION_METHODS),
    kind: fc.constantFrom('zeros', 'constant', 'single'),
    value: fc.double({ min: -4, max: 4, noNaN: true }),
    batches: fc.integer({ min: 1, max: 3 }),
    size: fc.integer({ min: 1, max: 4 }),
  });

  it('every method gives finite ranges and a model LiteRT agrees with, or a QatkitError', async () => {
    await fc.assert(
      fc.asyncProperty(data, async ({ method, kind, value, batches, size }) => {
        const n = kind === 'single' ? 1 : batches;
        const make = (i: number) => (kind === 'zeros' ? tf.zeros([size, 6, 6, 2]) : kind === 'constant' ? tf.fill([size, 6, 6, 2], value) : tf.randomNormal([size, 6, 6, 2], value, 1, 'float32', i));
        const list = Array.from({ length: n }, (_, i) => make(i));
        const qat = quantizeModel(model);
        try {
          const result = calibrate(qat, list, { method });
          for (const a of result.activations) expect(Number.isFinite(a.min) && Number.isFinite(a.max) && a.min <= a.max).toBe(true);
          let graph;
          try {
            graph = toGraph(qat);
            exportTflite(graph, { io: 'float32' });
          } catch (e) {
            if (!isQatkitError(e)) throw e;
            outcomes.refused++;
            return;
          }
          const expected = predictAll(qat, [list[0]!])[0]!;
          const got = await runDeployed(rt, graph, 'float32', [list[0]!]);
          const verdict = checkAgreement(compareOutput(expected, got, 0, outputStep(graph, 0)));
          expect(verdict.ok, verdict.message).toBe(true);
          outcomes.agreed++;
        } finally {
          tf.dispose(list);
          qat.dispose();
        }
      }),
      { seed: 20261205, numRuns: 40 },
    );
    // Degenerate data is no reason to refuse: every case deploys (a refusal would be counted, and fail here).
    expect(outcomes.agreed).toBe(40);
  });
});
