import { describe, expect, it } from 'vitest';
import { default8bit } from '@qatkit/scheme-8bit';
import type { QuantizerSpec } from '@qatkit/core';
import { BINS, RangeHistogram } from './histogram.js';
import { mseRange, mseWeightClips, percentileRange } from './range-search.js';

const INT8_ACT: QuantizerSpec = { bits: 8, symmetric: false, narrowRange: false, signed: true };
const INT8_W: QuantizerSpec = { bits: 8, symmetric: true, narrowRange: true, signed: true };
const INT4_W: QuantizerSpec = { bits: 4, symmetric: true, narrowRange: true, signed: true };

/** A deterministic generator (mulberry32) so the numbers below are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Laplace(0, 1) samples with two far outliers: the heavy tail that min/max calibration suffers from. */
function heavyTailed(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = Float32Array.from({ length: n }, () => {
    const u = r() - 0.5;
    return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  });
  out[7] = 60;
  out[11] = -45;
  return out;
}

/** Student's t with 3 degrees of freedom: a tail heavy enough for MSE to clip, not only percentile. */
function studentT3(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  return Float32Array.from({ length: n }, () => gauss() / Math.sqrt((gauss() ** 2 + gauss() ** 2 + gauss() ** 2) / 3));
}

describe('RangeHistogram', () => {
  it('keeps every value when a side doubles, with the exact extremes', () => {
    const h = new RangeHistogram();
    h.addAll([0, 1, 2, -0.5]);
    h.addAll([9, -3, 0]);
    expect(h.total).toBe(7);
    expect(h.zeros).toBe(2);
    expect([h.min, h.max]).toEqual([-3, 9]);
    // 2 → 16 (×8) on the positive side, 0.5 → 4 on the negative: edges are powers of two of the first.
    expect([h.pos.edge, h.neg.edge]).toEqual([16, 4]);
    const b = h.bins();
    expect(b.n.reduce((a, v) => a + v, 0)).toBe(7);
    // Bin means place each value exactly (one value per bin here).
    expect(Array.from(b.mean)).toEqual([-3, -0.5, 0, 1, 2, 9]);
    expect(b.lo.length).toBeLessThanOrEqual(2 * BINS + 1);
  });
});

describe('percentileRange', () => {
  it('is min/max at 100 and cuts the tails below it', () => {
    const h = new RangeHistogram();
    h.addAll(heavyTailed(100_000, 1));
    const b = h.bins();
    expect(percentileRange(b, 100)).toEqual([-45, 60]);
    const [lo, hi] = percentileRange(b, 99.9);
    // Laplace(0, 1): the 0.1 % tail starts at ln(500) ≈ 6.2.
    expect(hi).toBeGreaterThan(5.5);
    expect(hi).toBeLessThan(7);
    expect(lo).toBeLessThan(-5.5);
    expect(lo).toBeGreaterThan(-7);
  });
});

describe('mseRange', () => {
  it('clips a heavy tail (Student t3) to a fraction of min/max, less than a 99.99 percentile does', () => {
    const h = new RangeHistogram();
    h.addAll(studentT3(100_000, 2));
    const b = h.bins();
    const [lo, hi] = mseRange(b, INT8_ACT);
    // min/max ≈ ±123 here; MSE keeps ≈ 80 % of it, the percentile ≈ 20 %.
    expect(hi).toBeLessThan(0.9 * b.max);
    expect(hi).toBeGreaterThan(percentileRange(b, 99.99)[1]);
    expect(lo / hi).toBeCloseTo(b.min / b.max, 6);
  });

  it('clips a Laplace tail near its 8-bit optimum (≈ 9.9 scale units, Banner et al. 2019)', () => {
    const h = new RangeHistogram();
    h.addAll(heavyTailed(100_000, 3).map((v) => Math.max(-12, Math.min(12, v))));
    const [, hi] = mseRange(h.bins(), INT8_ACT);
    expect(hi).toBeGreaterThan(8.5);
    expect(hi).toBeLessThan(11);
  });

  it('keeps two isolated outliers: clipping them would cost more than the finer grid saves', () => {
    const h = new RangeHistogram();
    h.addAll(heavyTailed(100_000, 2));
    expect(mseRange(h.bins(), INT8_ACT)[1]).toBeGreaterThan(40);
  });

  it('keeps min/max for data the grid holds exactly: a constant, zeros, two levels', () => {
    for (const values of [[3.7, 3.7, 3.7], [0, 0], [-2, 0, 2]]) {
      const h = new RangeHistogram();
      h.addAll(values);
      expect(mseRange(h.bins(), INT8_ACT)).toEqual([Math.min(...values), Math.max(...values)]);
    }
  });

  it('keeps min/max for uniform data (nothing to gain by clipping)', () => {
    const r = rng(3);
    const h = new RangeHistogram();
    h.addAll(Float32Array.from({ length: 50_000 }, () => r() * 4));
    const [, hi] = mseRange(h.bins(), INT8_ACT);
    expect(hi).toBeGreaterThan(3.9);
  });
});

describe('mseWeightClips', () => {
  it('clips a heavy-tailed channel at 4 bits, leaves a uniform one, and clips 4-bit harder than 8-bit', () => {
    const r = rng(4);
    const channels = 2;
    const tail = studentT3(1000, 5);
    const kernel = new Float32Array(2000);
    for (let i = 0; i < kernel.length; i++) kernel[i] = i % channels === 0 ? (r() - 0.5) * 0.2 : tail[i >> 1]! * 0.02;
    const w8 = mseWeightClips(kernel, channels, true, INT8_W);
    const w4 = mseWeightClips(kernel, channels, true, INT4_W);
    expect(w8.clip[0]! / w8.absMax[0]!).toBeGreaterThan(0.95);
    expect(w4.clip[0]! / w4.absMax[0]!).toBeGreaterThan(0.85);
    expect(w4.clip[1]! / w4.absMax[1]!).toBeLessThan(0.6);
    expect(w4.clip[1]!).toBeLessThan(w8.clip[1]!);
    // Per tensor: one clip for all.
    expect(mseWeightClips(kernel, channels, false, INT8_W).clip).toHaveLength(1);
  });

  it('returns 0 for an all-zero channel (nothing to quantize)', () => {
    expect(mseWeightClips(new Float32Array(6), 3, true, default8bit().registry.lookup({ className: 'Dense', name: 'd', config: { activation: 'linear' } })!.weights['kernel']!.quantizer).clip).toEqual([0, 0, 0]);
  });
});
