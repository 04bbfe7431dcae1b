import { describe, expect, it } from 'vitest';
import { activationQuantization, nudgeRange, powerOfTwoAtLeast, quantLevels, weightQuantization, type QuantizerSpec } from './range.js';
import { isQatkitError } from '../errors.js';

const ACT: QuantizerSpec = { bits: 8, symmetric: false, narrowRange: false, signed: true };
const W: QuantizerSpec = { bits: 8, symmetric: true, narrowRange: true, signed: true };

describe('quantLevels', () => {
  it('gives the int8, narrow int8 and uint8 level ranges', () => {
    expect(quantLevels(ACT)).toEqual({ qmin: -128, qmax: 127 });
    expect(quantLevels(W)).toEqual({ qmin: -127, qmax: 127 });
    expect(quantLevels({ ...ACT, signed: false })).toEqual({ qmin: 0, qmax: 255 });
    expect(quantLevels({ ...ACT, bits: 4 })).toEqual({ qmin: -8, qmax: 7 });
  });
  it('rejects impossible bit widths', () => {
    expect(() => quantLevels({ ...ACT, bits: 1 })).toThrow(/bit width/);
    expect(() => quantLevels({ ...ACT, bits: 8.5 })).toThrow(/bit width/);
  });
});

describe('nudgeRange', () => {
  it('makes 0.0 exactly representable', () => {
    const r = nudgeRange(-0.37, 5.21, ACT);
    expect(Number.isInteger(r.zeroPoint)).toBe(true);
    // 0 maps to the zero point exactly: min + (zp - qmin) * scale == 0
    expect(r.min + (r.zeroPoint + 128) * r.scale).toBeCloseTo(0, 12);
    expect(r.scale).toBeCloseTo((5.21 + 0.37) / 255, 12);
    expect(r.max - r.min).toBeCloseTo(255 * r.scale, 12);
  });
  it('widens ranges to include zero (ReLU outputs get zero point -128)', () => {
    const r = nudgeRange(0.5, 6, ACT);
    expect(r.zeroPoint).toBe(-128);
    expect(r.scale).toBeCloseTo(6 / 255, 12);
    expect(nudgeRange(-4, -1, ACT).zeroPoint).toBe(127);
  });
  it('gives symmetric narrow weights zero point 0 and scale absmax/127', () => {
    const r = nudgeRange(-0.2, 0.5, W);
    expect(r).toEqual({ scale: 0.5 / 127, zeroPoint: 0, min: -0.5, max: 0.5 });
  });
  it('floors degenerate ranges instead of returning scale 0', () => {
    expect(nudgeRange(0, 0, ACT).scale).toBeGreaterThan(0);
    expect(nudgeRange(0, 0, W).scale).toBeGreaterThan(0);
  });
  it('rejects NaN and inverted ranges with INVALID_RANGE', () => {
    for (const [lo, hi] of [[NaN, 1], [0, Infinity], [2, 1]] as const) {
      let err: unknown;
      try { nudgeRange(lo, hi, ACT, 'conv1/output'); } catch (e) { err = e; }
      expect(isQatkitError(err, 'INVALID_RANGE')).toBe(true);
      expect(String(err)).toMatch(/conv1\/output/);
    }
  });
});

describe('quantization records', () => {
  it('builds per-tensor activation and per-axis weight params', () => {
    const a = activationQuantization(-1, 3, ACT);
    expect(a.scale).toHaveLength(1);
    expect(a.min).toEqual([-1]);
    const w = weightQuantization([-1, -0.5], [0.25, 2], W, 0);
    expect(w.axis).toBe(0);
    expect(w.scale).toEqual([1 / 127, 2 / 127]);
    expect(w.zeroPoint).toEqual([0, 0]);
  });
});

describe("scale: 'power-of-two'", () => {
  const P2A: QuantizerSpec = { ...ACT, scale: 'power-of-two' };
  const P2W: QuantizerSpec = { ...W, scale: 'power-of-two' };
  const isPow2 = (s: number) => 2 ** Math.round(Math.log2(s)) === s;

  it('rounds a scale up to the next power of two, exact powers staying put', () => {
    expect(powerOfTwoAtLeast(0.3)).toBe(0.5);
    expect(powerOfTwoAtLeast(0.25)).toBe(0.25);
    expect(powerOfTwoAtLeast(2 ** -20 * 1.0000001)).toBe(2 ** -19);
    for (let e = -40; e <= 40; e++) expect(powerOfTwoAtLeast(2 ** e)).toBe(2 ** e);
  });
  it('gives asymmetric ranges a power-of-two scale that still covers them, zero point re-derived', () => {
    for (const [lo, hi] of [[-0.37, 5.21], [0, 6], [-3, -0.1], [-1e-9, 1e-9], [-100, 3]] as const) {
      const r = nudgeRange(lo, hi, P2A);
      expect(isPow2(r.scale), `${lo}..${hi}`).toBe(true);
      expect(r.scale).toBeGreaterThanOrEqual(nudgeRange(lo, hi, ACT).scale);
      expect(r.min).toBeLessThanOrEqual(Math.min(lo, 0) + r.scale / 2);
      expect(r.max).toBeGreaterThanOrEqual(Math.max(hi, 0) - r.scale / 2);
      expect(r.min + (r.zeroPoint + 128) * r.scale).toBe(0);
    }
    expect(nudgeRange(0, 6, P2A)).toMatchObject({ scale: 1 / 32, zeroPoint: -128 });
  });
  it('keeps symmetric weights at zero point 0', () => {
    expect(nudgeRange(-0.2, 0.5, P2W)).toEqual({ scale: 1 / 128, zeroPoint: 0, min: -127 / 128, max: 127 / 128 });
  });
  it('rounds after the minScale floor, so the floor still holds', () => {
    const r = nudgeRange(-0.2, 0.5, P2W, 'w', 0.01);
    expect(r.scale).toBe(1 / 64);
    const q = weightQuantization([-0.1, -1], [0.1, 1], P2W, 0, 'w', [0.003, 0]);
    expect(q.scale).toEqual([1 / 256, 1 / 64]);
  });
  it("leaves 'any' and an absent field alone and refuses other values", () => {
    expect(nudgeRange(-0.37, 5.21, { ...ACT, scale: 'any' })).toEqual(nudgeRange(-0.37, 5.21, ACT));
    expect(() => quantLevels({ ...ACT, scale: 'pow2' as 'any' })).toThrow(/'any' or 'power-of-two'/);
  });
});
