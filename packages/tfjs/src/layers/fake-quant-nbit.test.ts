import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeQuantize, nudgeRange, activationQuantization } from '@qatkit/core';
import { fakeQuantRange, nudgeRangeTensors } from './fake-quant-ops.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));

describe('n-bit fake quantization agrees with @qatkit/core', () => {
  it.each([2, 3, 4, 6, 8])('nudges %i-bit symmetric and asymmetric activation ranges like nudgeRange', (bits) => {
    for (const symmetric of [true, false]) {
      const spec = { bits, symmetric, narrowRange: false, signed: true };
      for (const [lo, hi] of [[-0.37, 5.21], [0.5, 6], [-4, -1], [0, 0]]) {
        const n = nudgeRangeTensors(tf.scalar(lo!), tf.scalar(hi!), spec);
        const r = nudgeRange(lo!, hi!, spec);
        near(n.scale.dataSync()[0]!, r.scale);
        near(n.nudgedMin.dataSync()[0]!, r.min);
        near(n.nudgedMax.dataSync()[0]!, r.max);
      }
    }
  });

  it('clamps 4-bit symmetric values to [-8, 7] steps around zero, as the export quantizes them', () => {
    const spec = { bits: 4, symmetric: true, narrowRange: false, signed: true };
    const x = Float32Array.from([-3, -0.9, -0.26, 0, 0.14, 0.5, 0.99, 2]);
    const got = fakeQuantRange(tf.tensor1d(x), nudgeRangeTensors(tf.scalar(-0.5), tf.scalar(0.7), spec)).dataSync();
    const want = fakeQuantize(x, [x.length], activationQuantization(-0.5, 0.7, spec));
    Array.from(want).forEach((w, i) => near(got[i]!, w));
    near(Math.min(...got), -8 * 0.1);
    near(Math.max(...got), 0.7);
  });
});
