import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQatkitError } from '@qatkit/core';
import { calibrate, quantizeModel } from '../quantize-model.js';
import { toGraph } from '../to-graph.js';
import { FakeQuant } from '../layers/fake-quant.js';
import { QuantWeighted } from '../layers/quant-weighted.js';
import { CALIBRATION_METHODS } from './options.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Dense → BatchNorm → ReLU → Dense: an input range to track, a fold, a fused activation. */
function mlp(): tf.LayersModel {
  return tf.sequential({
    name: 'mlp',
    layers: [
      tf.layers.dense({ inputShape: [16], units: 8, kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }), name: 'd1' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.reLU({ name: 'r' }),
      tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }), name: 'd2' }),
    ],
  });
}

/** Student-t(3)-like inputs: heavy tails, where min/max wastes most of the grid. */
function heavyBatches(n: number): tf.Tensor[] {
  return Array.from({ length: n }, (_, i) =>
    tf.tidy(() => {
      const z = tf.randomNormal([256, 16], 0, 1, 'float32', 10 + i);
      const chi = tf.sum(tf.square(tf.randomNormal([3, 256, 16], 0, 1, 'float32', 100 + i)), 0);
      return tf.div(z, tf.sqrt(tf.div(chi, 3)));
    }),
  );
}

const inputFq = (qat: tf.LayersModel) => qat.layers.find((l): l is FakeQuant => l instanceof FakeQuant)!;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isQatkitError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  throw new Error('expected an error');
}

describe('calibrate(model, batches, { method })', () => {
  const batches = heavyBatches(4);
  const extremes = tf.tidy(() => {
    const all = tf.concat(batches);
    return [tf.min(all).dataSync()[0]!, tf.max(all).dataSync()[0]!];
  });

  it('minmax sets the input range to the data extremes; percentile and MSE cut the heavy tail', () => {
    const ranges = Object.fromEntries(
      (['minmax', 'percentile', 'mse'] as const).map((method) => {
        const qat = quantizeModel(mlp());
        const result = calibrate(qat, batches, { method, ...(method === 'percentile' ? { percentile: 99.9 } : {}) });
        expect(result.batches).toBe(4);
        const r = inputFq(qat).range();
        return [method, [r.min, r.max]];
      }),
    );
    expect(ranges['minmax']![0]).toBeCloseTo(extremes[0]!, 5);
    expect(ranges['minmax']![1]).toBeCloseTo(extremes[1]!, 5);
    const width = (m: string) => ranges[m]![1]! - ranges[m]![0]!;
    // t3 over 16,384 values: the 99.9 % percentile keeps about a third of min/max, MSE most of it.
    expect(width('percentile')).toBeLessThan(0.7 * width('minmax'));
    // Two far values dominate the squared error of so few samples: MSE trims only a little here
    // (range-search.test.ts measures it on 100,000).
    expect(width('mse')).toBeLessThan(0.98 * width('minmax'));
    expect(width('mse')).toBeGreaterThan(width('percentile'));
  });

  it('ema starts over: after an earlier calibration the same ranges as on a fresh model', () => {
    const a = quantizeModel(mlp());
    calibrate(a, batches, { method: 'ema' });
    const b = quantizeModel(mlp());
    calibrate(b, batches.slice(0, 2));
    calibrate(b, batches, { method: 'ema' });
    expect(inputFq(b).range()).toEqual(inputFq(a).range());
  });

  it('without a method keeps updating from the ranges it has (the refresh after training)', () => {
    const qat = quantizeModel(mlp());
    calibrate(qat, batches.slice(0, 2));
    const first = inputFq(qat).range().count;
    calibrate(qat, batches.slice(0, 1));
    expect(inputFq(qat).range().count).toBe(first * 1.5);
  });

  it('mse clips the folded weights per channel, and toGraph quantizes with exactly those clips', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 6, kernelSize: 3, kernelInitializer: tf.initializers.randomNormal({ seed: 3 }), name: 'c' }),
        tf.layers.batchNormalization({ name: 'bn', gammaInitializer: tf.initializers.constant({ value: 2 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, name: 'fc' }),
      ],
    });
    // Heavy-tailed 4-bit-like weights would clip more; int8 with a t3 kernel clips a few channels.
    const kernel = tf.tidy(() => tf.div(tf.randomNormal([3, 3, 1, 6], 0, 1, 'float32', 5), tf.sqrt(tf.div(tf.sum(tf.square(tf.randomNormal([3, 3, 3, 1, 6], 0, 1, 'float32', 6)), 0), 3))));
    model.getLayer('c').setWeights([kernel, tf.zeros([6])]);
    const qat = quantizeModel(model);
    const result = calibrate(qat, [tf.randomUniform([8, 6, 6, 1], 0, 1, 'float32', 7)], { method: 'mse' });
    const c = result.weights.find((w) => w.layer === 'quant_c')!;
    expect(c.clip).toHaveLength(6);
    c.clip.forEach((v, i) => expect(v).toBeLessThanOrEqual(c.absMax[i]!));
    const layer = qat.getLayer('quant_c') as QuantWeighted;
    // The folded weights now reach exactly the clip in every channel, and the IR's scales are clip / 127.
    const maxes = tf.tidy(() => tf.max(tf.abs(layer.folded().kernel), [0, 1, 2]).arraySync() as number[]);
    maxes.forEach((m, i) => expect(m).toBeCloseTo(c.clip[i]!, 5));
    const scales = toGraph(qat).tensors['c/weights']!.quantization!.scale;
    scales.forEach((s, i) => expect(s).toBeCloseTo(c.clip[i]! / 127, 7));
  });

  it('reports progress after each batch, with the total for an array', () => {
    const calls: [number, number | undefined][] = [];
    calibrate(quantizeModel(mlp()), batches, { method: 'minmax', onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    const fromGenerator: [number, number | undefined][] = [];
    function* gen() {
      yield* batches.slice(0, 2);
    }
    calibrate(quantizeModel(mlp()), gen(), { method: 'percentile', onProgress: (done, total) => fromGenerator.push([done, total]) });
    expect(fromGenerator).toEqual([[1, undefined], [2, undefined]]);
  });

  it('every method exports: the ranges land in the graph', () => {
    for (const method of CALIBRATION_METHODS) {
      const qat = quantizeModel(mlp());
      calibrate(qat, batches, { method });
      const graph = toGraph(qat);
      expect(Object.values(graph.tensors).every((t) => !t.quantization || t.quantization.scale.every((s) => Number.isFinite(s) && s > 0))).toBe(true);
    }
  });

  it('refuses empty batches, NaN data, an unknown method and a percentile outside (0, 100]', () => {
    const qat = quantizeModel(mlp());
    expect(codeOf(() => calibrate(qat, []))).toMatch(/^INVALID_OPTION: calibrate: no batches/);
    expect(codeOf(() => calibrate(qat, [], { method: 'mse' }))).toMatch(/no batches/);
    const nan = tf.fill([2, 16], NaN);
    expect(codeOf(() => calibrate(qat, [batches[0]!, nan], { method: 'minmax' }))).toMatch(/^INVALID_RANGE: calibrate: batch 2 contains NaN/);
    expect(codeOf(() => calibrate(qat, batches, { method: 'kl' as never }))).toMatch(/unknown method "kl" \(supported: minmax, ema, percentile, mse\)/);
    for (const p of [0, -1, 100.5, NaN]) expect(codeOf(() => calibrate(qat, batches, { method: 'percentile', percentile: p }))).toMatch(/percentile must be a number in \(0, 100\]/);
    expect(codeOf(() => calibrate(qat, batches, { method: 'mse', percentile: 99 }))).toMatch(/percentile is an option of method "percentile"/);
    // A failed call leaves no layer in calibration mode.
    expect(qat.layers.some((l) => l instanceof FakeQuant && l.calibrating)).toBe(false);
  });

  it('MSE weight clipping leaves a model with no outlier weights bit for bit', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, useBias: false, kernelInitializer: 'ones' })] });
    const qat = quantizeModel(model);
    const before = qat.getWeights().map((w) => Array.from(w.dataSync()));
    calibrate(qat, [tf.ones([2, 4])], { method: 'mse' });
    const kernelIndex = qat.weights.findIndex((w) => w.name.endsWith('kernel'));
    expect(Array.from(qat.getWeights()[kernelIndex]!.dataSync())).toEqual(before[kernelIndex]);
  });
});
