import * as tf from '@tensorflow/tfjs';
import { QatkitError } from '@qatkit/core';
import { FakeQuant } from '../layers/fake-quant.js';
import { QuantWeighted } from '../layers/quant-weighted.js';
import { RangeHistogram } from './histogram.js';
import { checkCalibrateOptions, type CalibrateOptions, type CalibrationMethod, type CalibrationResult } from './options.js';
import { mseRange, mseWeightClips, percentileRange } from './range-search.js';

/** A fake-quant layer with a range of its own to set (not fixed, tied to another or requantizing). */
function tracksRange(fq: FakeQuant): boolean {
  return fq.args.mode === 'ema' || fq.args.mode === 'all-values';
}

function checkFinite(batch: tf.Tensor | tf.Tensor[], index: number): void {
  const bad = tf.tidy(() => (Array.isArray(batch) ? batch : [batch]).some((t) => tf.any(tf.logicalNot(tf.isFinite(t))).dataSync()[0] === 1));
  if (bad) throw new QatkitError('INVALID_RANGE', `calibrate: batch ${index + 1} contains NaN or infinite values`);
}

/** With `mse`: clips each weighted layer's folded weights per channel to their MSE-optimal range. */
function clipWeights(model: tf.LayersModel): CalibrationResult['weights'] {
  const out: { layer: string; clip: number[]; absMax: number[] }[] = [];
  for (const layer of model.layers) {
    if (!(layer instanceof QuantWeighted)) continue;
    // The array leaves tidy through `read`, not its return value: tidy walks every element of a
    // returned typed array looking for tensors (seconds for a model of millions of weights).
    let read: { data: Float32Array; channels: number } | undefined;
    tf.tidy(() => {
      const k = layer.folded().kernel;
      read = { data: k.dataSync() as Float32Array, channels: k.shape.at(-1)! };
    });
    const { data, channels } = read!;
    const { clip, absMax } = mseWeightClips(data, channels, layer.args.perAxis, layer.args.weightQuantizer);
    const perChannel = (values: number[]) => (layer.args.perAxis ? values : new Array<number>(channels).fill(values[0]!));
    // Channels that keep their |max| stay bit for bit as they were (∞: no clip).
    layer.clipFolded(perChannel(clip.map((c, g) => (c < absMax[g]! ? c : Infinity))));
    out.push({ layer: layer.name, clip, absMax });
  }
  return out;
}

/** What a method-driven observer keeps per layer: the running extremes and, where needed, a histogram. */
interface Tracker {
  readonly fq: FakeQuant;
  min: number;
  max: number;
  count: number;
  readonly hist?: RangeHistogram;
}

function observe(t: Tracker, x: tf.Tensor, batch: () => number): void {
  const data = x.dataSync() as Float32Array;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // NaN fails both comparisons below; catch it and infinities in one test.
    if (!(v > -Infinity && v < Infinity)) throw new QatkitError('INVALID_RANGE', `calibrate: batch ${batch()} gives NaN or infinite values at layer "${t.fq.name}" (check the model's weights)`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (data.length === 0) return;
  t.min = Math.min(t.min, lo);
  t.max = Math.max(t.max, hi);
  t.count++;
  t.hist?.addAll(data);
  // The running min/max quantizes this batch, so the layers after see a valid grid at once.
  t.fq.setRange(t.min, t.max, t.count);
}

function finalRange(t: Tracker, method: CalibrationMethod, percentile: number): [number, number] {
  if (!t.hist) return [t.min, t.max];
  const bins = t.hist.bins();
  return method === 'percentile' ? percentileRange(bins, percentile) : mseRange(bins, t.fq.args.quantizer);
}

/**
 * Sets activation ranges from data without training (post-training quantization, a start for QAT,
 * or a refresh after the last training step) by running the batches through the model in inference
 * mode. Without a method the fake-quant layers update as in training; with one the ranges start
 * over and follow the method (see CalibrateOptions). BatchNorm statistics stay; weights stay except
 * with `mse`. Percentile and MSE read each layer's values into a fixed-size histogram, so memory
 * does not grow with the data and the batches are read once (a generator works).
 */
export function calibrate(qatModel: tf.LayersModel, batches: Iterable<tf.Tensor | tf.Tensor[]>, options: CalibrateOptions = {}): CalibrationResult {
  const { method, percentile } = checkCalibrateOptions(options);
  const fqs = qatModel.layers.filter((l): l is FakeQuant => l instanceof FakeQuant);
  if (fqs.length === 0) throw new QatkitError('INVALID_GRAPH', `model "${qatModel.name}" has no fake-quant layers; calibrate the model returned by quantizeModel()`);
  if (batches == null || typeof (batches as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new QatkitError('INVALID_OPTION', 'calibrate: batches must be an iterable (e.g. an array) of input tensors');
  }
  const total = Array.isArray(batches) ? batches.length : undefined;
  const tracked = fqs.filter(tracksRange);
  let weights: CalibrationResult['weights'] = [];
  let done = 0;
  const trackers: Tracker[] = [];
  // The model changes only once a first batch has passed the checks.
  const start = () => {
    if (method === 'mse') weights = clipWeights(qatModel);
    if (method === 'ema') for (const fq of tracked) fq.setRange(0, 0, 0);
  };
  if (method && method !== 'ema') {
    for (const fq of tracked) {
      const t: Tracker = { fq, min: Infinity, max: -Infinity, count: 0, ...(method === 'minmax' ? {} : { hist: new RangeHistogram() }) };
      trackers.push(t);
      fq.observer = (x) => observe(t, x, () => done + 1);
    }
  }
  for (const fq of fqs) fq.calibrating = true;
  try {
    for (const batch of batches) {
      checkFinite(batch, done);
      if (done === 0) start();
      // A method sees each batch whole (predict would cut it into 32s); the default keeps predict's own batching.
      const size = (Array.isArray(batch) ? batch[0] : batch)?.shape[0];
      tf.dispose(qatModel.predict(batch, method && size ? { batchSize: size } : {}));
      done++;
      options.onProgress?.(done, total);
    }
  } finally {
    for (const fq of fqs) {
      fq.calibrating = false;
      delete fq.observer;
    }
  }
  if (done === 0) throw new QatkitError('INVALID_OPTION', `calibrate: no batches to calibrate model "${qatModel.name}" with; pass at least one input batch`);
  for (const t of trackers) {
    if (t.count === 0) throw new QatkitError('INVALID_RANGE', `calibrate: fake-quant layer "${t.fq.name}" saw no values (empty tensors?)`);
    const [lo, hi] = finalRange(t, method!, percentile);
    t.fq.setRange(lo, hi, t.count);
  }
  // Floors follow the final input scales; layers are in topological order, so one sweep settles them.
  if (method) for (const fq of tracked) fq.refreshFloor();
  const activations = tracked.map((fq) => {
    const r = fq.range();
    return { layer: fq.name, min: r.min, max: r.max };
  });
  return { method: method ?? 'default', batches: done, activations, weights };
}
