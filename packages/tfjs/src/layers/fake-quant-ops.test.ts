import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activationQuantization, fakeQuantize, nudgeRange, weightQuantization } from '@qatkit/core';
import { fakeQuantRange, fakeQuantWeights, nudgeRangeTensors, weightScales } from './fake-quant-ops.js';

const A8 = { bits: 8, symmetric: false, narrowRange: false, signed: true };
const W8 = { bits: 8, symmetric: true, narrowRange: true, signed: true };

function rand(n: number, scale: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 - 0.5) * 2 * scale;
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fake-quant ops agree with @qatkit/core', () => {
  it('nudges like nudgeRange', () => {
    for (const [lo, hi] of [[-0.37, 5.21], [0.5, 6], [-4, -1], [0, 0], [-1e-3, 250]]) {
      const n = nudgeRangeTensors(tf.scalar(lo!), tf.scalar(hi!), A8);
      const r = nudgeRange(lo!, hi!, A8);
      // float32 in tfjs vs float64 in core: equal to float32 precision.
      const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));
      near(n.scale.dataSync()[0]!, r.scale);
      near(n.nudgedMin.dataSync()[0]!, r.min);
      near(n.nudgedMax.dataSync()[0]!, r.max);
    }
  });

  it('picks the same zero point as core, also where float64 puts it at an exact half', () => {
    // [-1, 1] (a common inputRange) gives qmin - lo/scale = -0.5 in float64 but just below in float32.
    const ranges: (readonly [number, number])[] = [[-1, 1], [-2, 2], [-0.5, 0.5], [-3, 3], [-1, 2]];
    for (let i = 0; i < 500; i++) {
      const width = 2 ** (((i * 7919) % 3000) / 100 - 15);
      const lo = Math.fround((-width * ((i * 37) % 101)) / 100);
      ranges.push([lo, Math.fround(lo + width)]);
    }
    const zp = (n: { scale: tf.Scalar; nudgedMin: tf.Scalar }) => Math.round(-128 - n.nudgedMin.dataSync()[0]! / n.scale.dataSync()[0]!);
    const mismatches = ranges.filter(([lo, hi]) => zp(nudgeRangeTensors(tf.scalar(lo), tf.scalar(hi), A8)) !== nudgeRange(lo, hi, A8).zeroPoint);
    expect(mismatches).toEqual([]);
    expect(nudgeRange(-1, 1, A8).zeroPoint).toBe(-1);
  });

  it('fake-quantizes activations onto the same grid as quantize/dequantize', () => {
    const x = rand(5000, 4, 7);
    const q = activationQuantization(-1.3, 3.1, A8);
    const expected = fakeQuantize(x, [x.length], q);
    const got = fakeQuantRange(tf.tensor1d(x), nudgeRangeTensors(tf.scalar(-1.3), tf.scalar(3.1), A8)).dataSync();
    let same = 0;
    for (let i = 0; i < x.length; i++) if (Math.abs(got[i]! - expected[i]!) < 1e-5) same++;
    // Only exact rounding ties may differ.
    expect(same / x.length).toBeGreaterThan(0.999);
  });

  it('passes gradients straight through inside the range and blocks them outside', () => {
    const x = tf.tensor1d([-5, -1, 0, 0.5, 2.9, 7]);
    const g = tf.grad((t: tf.Tensor) => fakeQuantRange(t, nudgeRangeTensors(tf.scalar(-1.3), tf.scalar(3.1), A8)).sum())(x);
    expect(Array.from(g.dataSync())).toEqual([0, 1, 1, 1, 1, 0]);
  });

  it('quantizes conv kernels per output channel like weightQuantization', () => {
    const k = rand(3 * 3 * 2 * 4, 0.5, 3);
    const kt = tf.tensor4d(k, [3, 3, 2, 4]);
    const got = fakeQuantWeights(kt, weightScales(kt, [0, 1, 2], W8), W8).dataSync();
    // channel c = index % 4 in [kh, kw, in, out] layout
    const maxes = [0, 0, 0, 0];
    k.forEach((v, i) => (maxes[i % 4] = Math.max(maxes[i % 4]!, Math.abs(v))));
    const q = weightQuantization(maxes.map((m) => -m), maxes, W8, 3);
    const expected = fakeQuantize(k, [3, 3, 2, 4], q);
    for (let i = 0; i < k.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 5);
    // Each channel's largest weight is exactly a level: ±127 × scale.
    const g = tf.grad((t: tf.Tensor) => fakeQuantWeights(t, weightScales(t, [0, 1, 2], W8), W8).sum())(kt);
    expect(Array.from(g.dataSync()).every((v) => v === 1)).toBe(true);
  });
});

describe("power-of-two scales agree with @qatkit/core's", () => {
  const P2A = { ...A8, scale: 'power-of-two' as const };
  const P2W = { ...W8, scale: 'power-of-two' as const };

  it('rounds activation scales up to the same power of two, with the same floor order', () => {
    for (const [lo, hi, floor] of [[-0.37, 5.21, 0], [0, 6, 0], [-4, -1, 0], [0, 0, 0], [0, 2 ** -5 * 255, 0], [-1, 1, 0.05]]) {
      const n = nudgeRangeTensors(tf.scalar(lo!), tf.scalar(hi!), P2A, floor ? tf.scalar(floor) : undefined);
      const r = nudgeRange(lo!, hi!, P2A, 'x', floor);
      expect(n.scale.dataSync()[0], `${lo}..${hi}`).toBe(r.scale);
      expect(n.nudgedMin.dataSync()[0]).toBeCloseTo(r.min, 6);
    }
  });

  it('picks the same power as core for 500 random float32 ranges, including exact powers', () => {
    const ranges = Array.from({ length: 500 }, (_, i) => {
      const width = i % 5 === 0 ? 255 * 2 ** ((i % 23) - 12) : 2 ** (((i * 7919) % 4000) / 100 - 20);
      const lo = -width * ((i * 37) % 100) / 100;
      return [Math.fround(lo), Math.fround(lo + width)] as const;
    });
    const mismatches = ranges.filter(([lo, hi]) => nudgeRangeTensors(tf.scalar(lo), tf.scalar(hi), P2A).scale.dataSync()[0] !== nudgeRange(lo, hi, P2A).scale);
    expect(mismatches).toEqual([]);
  });

  it('rounds each weight channel up after the bias floor', () => {
    const kernel = tf.tensor2d([0.3, -1, 0.001, 0.5, 0.2, 0.25], [2, 3]);
    const got = Array.from(weightScales(kernel, [0], P2W, tf.tensor1d([0, 0, 0.02])).dataSync());
    const want = weightQuantization([-0.5, -1, -0.25], [0.5, 1, 0.25], P2W, 1, 'w', [0, 0, 0.02]).scale;
    expect(got).toEqual(want);
    expect(want).toEqual([1 / 128, 1 / 64, 1 / 32]);
  });
});
