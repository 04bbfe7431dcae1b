import { nudgeRange, quantLevels, type QuantizerSpec } from '@qatkit/core';
import type { HistogramBins } from './histogram.js';
import { channelAbsMax } from '../emit/weight-ints.js';

/**
 * Ranges from a collected distribution: the percentile range, and the clipping range that
 * minimises the quantization MSE on the quantizer's own (nudged) grid. Plain numbers, no tfjs.
 */

/** The value below which `fraction` of the data lies, read off the histogram (linear inside a bin). */
function quantile(h: HistogramBins, fraction: number): number {
  const total = h.n.reduce((a, b) => a + b, 0);
  const target = fraction * total;
  let cum = 0;
  for (let i = 0; i < h.n.length; i++) {
    const n = h.n[i]!;
    if (cum + n >= target) {
      const t = n > 0 ? (target - cum) / n : 0;
      return Math.min(h.max, Math.max(h.min, h.lo[i]! + t * (h.hi[i]! - h.lo[i]!)));
    }
    cum += n;
  }
  return h.max;
}

/**
 * [lower, upper] tails cut at `percentile` (e.g. 99.99 keeps all but the top and bottom 0.01 %);
 * 100 gives the exact min and max.
 */
export function percentileRange(h: HistogramBins, percentile: number): [number, number] {
  if (percentile >= 100) return [h.min, h.max];
  const lo = quantile(h, 1 - percentile / 100);
  const hi = quantile(h, percentile / 100);
  return [Math.min(lo, hi), Math.max(lo, hi)];
}

/** How many shrink factors of the min/max range the MSE search tries (1, 1 − 1/N, …, 1/N). */
export const MSE_STEPS = 200;

/**
 * Expected squared error of one bin on a grid (scale `s`, nudged [gmin, gmax]): a bin wider than
 * a step spreads over many levels (s²/12, the uniform rounding error); a narrow one is its mean's
 * own error plus its spread (w²/12), so a point mass (a constant, a ReLU's zeros) costs what it
 * really does. Outside the grid the error is the clipping distance.
 */
function binError(mean: number, width: number, s: number, gmin: number, gmax: number): number {
  const spread = (width * width) / 12;
  if (mean < gmin) return (gmin - mean) ** 2 + spread;
  if (mean > gmax) return (mean - gmax) ** 2 + spread;
  if (width >= s) return (s * s) / 12;
  const q = gmin + Math.round((mean - gmin) / s) * s;
  return (mean - q) ** 2 + spread;
}

/**
 * The range α·[min, max] (α ∈ (0, 1]) whose nudged grid gives the smallest quantization MSE over
 * the histogram; ties keep the wider range, so data a grid holds exactly keeps its min/max.
 */
export function mseRange(h: HistogramBins, spec: QuantizerSpec): [number, number] {
  const lo0 = Math.min(h.min, 0);
  const hi0 = Math.max(h.max, 0);
  let best: [number, number] = [h.min, h.max];
  let bestErr = Infinity;
  for (let k = MSE_STEPS; k >= 1; k--) {
    const a = k / MSE_STEPS;
    const r = nudgeRange(lo0 * a, hi0 * a, spec, 'calibration');
    let err = 0;
    for (let i = 0; i < h.n.length; i++) err += h.n[i]! * binError(h.mean[i]!, h.hi[i]! - h.lo[i]!, r.scale, r.min, r.max);
    if (err < bestErr * (1 - 1e-9)) {
      bestErr = err;
      best = k === MSE_STEPS ? [h.min, h.max] : [lo0 * a, hi0 * a];
    }
  }
  return best;
}

/** Shrink factors the weight search tries: 1, 0.99, …, 0.2 of each channel's |max|. */
const WEIGHT_ALPHAS = Array.from({ length: 81 }, (_, i) => 1 - i / 100);

/**
 * Per output channel (the last axis of a channels-last kernel, or one clip for all when
 * `perAxis` is false): the clip c ≤ |max| whose symmetric grid (scale c/qmax, weights clipped to
 * ±c first, as clipping the kernel does) gives the smallest squared error, with each |max|.
 */
export function mseWeightClips(kernel: Float32Array, channels: number, perAxis: boolean, spec: QuantizerSpec): { clip: number[]; absMax: number[] } {
  const groups = perAxis ? channels : 1;
  const { qmin, qmax } = quantLevels(spec);
  const absMax = channelAbsMax(kernel, channels, perAxis);
  const errs = WEIGHT_ALPHAS.map(() => new Float64Array(groups));
  WEIGHT_ALPHAS.forEach((a, j) => {
    const e = errs[j]!;
    for (let i = 0; i < kernel.length; i++) {
      const g = perAxis ? i % channels : 0;
      const c = a * absMax[g]!;
      if (c === 0) continue;
      const s = c / qmax;
      const w = kernel[i]!;
      const clipped = Math.min(c, Math.max(-c, w));
      const q = Math.min(qmax, Math.max(qmin, Math.round(clipped / s))) * s;
      e[g]! += (w - q) ** 2;
    }
  });
  const clip = Array.from(absMax, (m, g) => {
    let bestJ = 0;
    WEIGHT_ALPHAS.forEach((_, j) => {
      if (errs[j]![g]! < errs[bestJ]![g]! * (1 - 1e-9)) bestJ = j;
    });
    return WEIGHT_ALPHAS[bestJ]! * m;
  });
  return { clip, absMax };
}
