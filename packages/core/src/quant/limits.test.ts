import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIAS_LIMIT, REQUANT_LIMIT, addFloor, biasSafeWeightScales, maxRequantRatio, mulFloor, requantFloor } from './limits.js';
import { quantizeMultiplier } from './multiplier.js';
import { quantizeBias } from './quantize.js';
import { activationQuantization, nudgeRange, type QuantizerSpec } from './range.js';

const ACT: QuantizerSpec = { bits: 8, symmetric: false, narrowRange: false, signed: true };

describe('requantFloor', () => {
  it('keeps every channel ratio at half the XNNPACK limit when the output range collapses', () => {
    const inS = 0.0039;
    const w = [0.002, 0.01, 0.004];
    // A dead ReLU: the learned range is [0, 0], which alone gives the 1e-6 floor (scale ~4e-9).
    const q = activationQuantization(0, 0, ACT, 'dead', requantFloor(inS, w));
    expect(q.scale[0]).toBeCloseTo((inS * 0.01) / 128, 15);
    expect(maxRequantRatio(inS, w, q.scale[0]!)).toBeCloseTo(128, 9);
    expect(q.zeroPoint[0]).toBe(-128);
  });
  it('leaves ordinary ranges alone', () => {
    const plain = nudgeRange(-1, 3, ACT);
    expect(nudgeRange(-1, 3, ACT, 'x', requantFloor(0.004, [0.01]))).toEqual(plain);
  });
});

describe('biasSafeWeightScales', () => {
  it('widens only the channels whose bias would overflow, so quantizeBias fits', () => {
    const inS = 1e-6 / 255; // a collapsed input range
    const scales = biasSafeWeightScales([0.01, 1e-8, 0.02], [0.001, 5, -3], inS);
    expect(scales[0]).toBe(0.01);
    expect(scales[1]).toBeCloseTo(5 / (inS * BIAS_LIMIT), 12);
    expect(scales[2]).toBeCloseTo(3 / (inS * BIAS_LIMIT), 12);
    const q = quantizeBias([0.001, 5, -3], inS, scales);
    expect(Math.max(...Array.from(q.data, Math.abs))).toBeLessThanOrEqual(BIAS_LIMIT);
    expect(q.data[1]).toBe(BIAS_LIMIT);
  });
  it('widens a per-tensor scale for the largest bias', () => {
    expect(biasSafeWeightScales([1e-9], [1, -4], 1e-3)).toEqual([4 / (1e-3 * BIAS_LIMIT)]);
  });
  it('any bias, input scale and weight scale give an int32 bias within the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-12, max: 10, noNaN: true })), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 1e-12, max: 100, noNaN: true }),
        (channels, inS) => {
          const bias = channels.map(([b]) => b);
          const scales = biasSafeWeightScales(channels.map(([, s]) => s), bias, inS);
          const q = quantizeBias(bias, inS, scales);
          for (let c = 0; c < bias.length; c++) {
            expect(Math.abs(q.data[c]!)).toBeLessThanOrEqual(BIAS_LIMIT);
            // The dequantized bias is within half a step of the real one.
            expect(Math.abs(q.data[c]! * inS * scales[c]! - bias[c]!)).toBeLessThanOrEqual(0.5 * inS * scales[c]! * (1 + 1e-9));
          }
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('quantizeBias', () => {
  it('refuses to clamp a bias that does not fit, naming the channel', () => {
    expect(() => quantizeBias([0.001, 50], 1e-9, [0.01, 0.01])).toThrow(/bias 50 of channel 1 .*beyond the int32 bias limit/);
  });
});

describe('REQUANT_LIMIT', () => {
  it('is XNNPACK\'s bound', () => expect(REQUANT_LIMIT).toBe(256));
});

describe('addFloor and mulFloor', () => {
  it('keep ADD below 2^19 and MUL below the int32 intermediate overflow for any input scales', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e3, noNaN: true }), fc.double({ min: 1e-9, max: 1e3, noNaN: true }), (a, b) => {
        expect(Math.max(a, b) / addFloor([a, b])).toBeLessThan(2 ** 19);
        // exporter-tflite's check: 256 × 256 × 2^shift must fit int32.
        const { shift } = quantizeMultiplier((a * b) / mulFloor(a, b));
        expect(2 ** 16 * 2 ** Math.max(shift, 0)).toBeLessThanOrEqual(2 ** 31 - 1);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
