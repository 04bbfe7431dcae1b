import { describe, expect, it } from 'vitest';
import { dequantize, fakeQuantize, quantize, quantizeBias, roundHalfAwayFromZero } from './quantize.js';
import type { Quantization } from '../ir/types.js';

const perTensor: Quantization = { scale: [0.1], zeroPoint: [-10], bits: 8, signed: true, narrowRange: false };

describe('quantize / dequantize', () => {
  it('rounds half away from zero like TFLite', () => {
    expect([2.5, -2.5, 0.5, -0.5, 1.49].map(roundHalfAwayFromZero)).toEqual([3, -3, 1, -1, 1]);
  });
  it('maps reals to int8 with zero point and saturation', () => {
    const q = quantize([0, 0.1, -1, 100, -100, 0.25], [6], perTensor);
    expect(q).toBeInstanceOf(Int8Array);
    expect(Array.from(q)).toEqual([-10, -9, -20, 127, -128, -7]);
    expect(Array.from(dequantize(q, [6], perTensor)).map((v) => +v.toFixed(5))).toEqual([0, 0.1, -1, 13.7, -11.8, 0.3]);
  });
  it('uses one scale per slice along the quantized axis', () => {
    const q: Quantization = { scale: [1, 0.5], zeroPoint: [0, 0], axis: 0, bits: 8, signed: true, narrowRange: true };
    // shape [2, 3]: row 0 uses scale 1, row 1 scale 0.5
    expect(Array.from(quantize([1, 2, -3, 1, 2, -3], [2, 3], q))).toEqual([1, 2, -3, 2, 4, -6]);
    // narrow range clamps at -127
    expect(quantize([-200], [1], { ...q, scale: [1], zeroPoint: [0], axis: 0 })[0]).toBe(-127);
    const axis1: Quantization = { ...q, axis: 1, scale: [1, 0.5, 0.25], zeroPoint: [0, 0, 0] };
    expect(Array.from(quantize([1, 1, 1, 2, 2, 2], [2, 3], axis1))).toEqual([1, 2, 4, 2, 4, 8]);
  });
  it('rejects a scale count that does not match the axis', () => {
    const q: Quantization = { scale: [1, 1], zeroPoint: [0, 0], axis: 1, bits: 8, signed: true, narrowRange: false };
    expect(() => quantize([1, 2, 3], [1, 3], q)).toThrow(/2 scales/);
  });
  it('fake-quantizes onto the grid', () => {
    expect(Array.from(fakeQuantize([0.04, 0.06], [2], perTensor)).map((v) => +v.toFixed(6))).toEqual([0, 0.1]);
  });
});

describe('quantizeBias', () => {
  it('uses scale = input scale × weight scale per channel', () => {
    const { data, quantization } = quantizeBias([0.5, -0.25], 0.1, [0.01, 0.02]);
    expect(Array.from(data)).toEqual([500, -125]);
    expect(quantization.scale[0]).toBeCloseTo(0.001, 15);
    expect(quantization.scale[1]).toBeCloseTo(0.002, 15);
    expect(quantization.axis).toBe(0);
    expect(quantization.bits).toBe(32);
  });
  it('broadcasts a per-tensor weight scale', () => {
    const { data, quantization } = quantizeBias([1, 2, 3], 0.5, [0.5]);
    expect(Array.from(data)).toEqual([4, 8, 12]);
    expect(quantization.axis).toBeUndefined();
  });
  it('rejects mismatched channel counts', () => {
    expect(() => quantizeBias([1, 2, 3], 1, [1, 1])).toThrow(/3 channels/);
  });
});
