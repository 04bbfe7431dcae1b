import { describe, expect, it } from 'vitest';
import { frexp, multiplyByQuantizedMultiplier, quantizeMultiplier } from './multiplier.js';

describe('frexp', () => {
  it('splits into [0.5, 1) × 2^e', () => {
    for (const x of [1, 0.5, 0.75, 3, 1e-5, 12345.678, 2 ** -20]) {
      const { significand, exponent } = frexp(x);
      expect(significand).toBeGreaterThanOrEqual(0.5);
      expect(significand).toBeLessThan(1);
      expect(significand * 2 ** exponent).toBe(x);
    }
  });
});

describe('quantizeMultiplier', () => {
  it('encodes 0.5 as 2^30 with shift 0 and 0.25 with shift -1', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });
  it('stays within 1e-9 relative of the real multiplier', () => {
    for (const m of [0.0012345, 0.3, 0.999999999, 1.7, 3e-6]) {
      const q = quantizeMultiplier(m);
      expect(q.multiplier).toBeGreaterThanOrEqual(2 ** 30);
      expect(q.multiplier).toBeLessThan(2 ** 31);
      expect(Math.abs((q.multiplier * 2 ** (q.shift - 31)) / m - 1)).toBeLessThan(1e-9);
    }
  });
  it('rounds like TFLite when applied to an accumulator', () => {
    const m = quantizeMultiplier(0.5);
    expect(multiplyByQuantizedMultiplier(5, m)).toBe(3); // 2.5 → 3 (half away from zero)
    // gemmlowp's nudge for negative products is 1 - 2^30, so -2.5 truncates to -2.
    expect(multiplyByQuantizedMultiplier(-5, m)).toBe(-2);
    const q = quantizeMultiplier(0.0123);
    for (const x of [0, 1, -1, 1000, -1000, 123456, -987654]) {
      expect(Math.abs(multiplyByQuantizedMultiplier(x, q) - x * 0.0123)).toBeLessThanOrEqual(0.5 + 1e-6);
    }
  });
});
