import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { fakeQuantRange, nudgeRangeTensors } from '../layers/fake-quant-ops.js';
import { FAKE_QUANT_KERNEL, registerFakeQuantKernel } from './fake-quant-kernel.js';

const A8 = { bits: 8, symmetric: false, narrowRange: false, signed: true };

/** Values and straight-through gradient of fake-quant on a fixed input. */
function run(x: tf.Tensor): { y: Float32Array; g: Float32Array } {
  return tf.tidy(() => {
    const n = nudgeRangeTensors(tf.scalar(-0.8), tf.scalar(2.3), A8);
    const y = fakeQuantRange(x, n).dataSync() as Float32Array;
    const g = tf.grad((t: tf.Tensor) => tf.mul(fakeQuantRange(t, n), tf.range(0, t.size).reshape(t.shape)).sum())(x).dataSync() as Float32Array;
    return { y: y.slice(), g: g.slice() };
  });
}

describe.each(['cpu', 'wasm'] as const)('%s fake-quant kernel', (backend) => {
  afterAll(() => {
    registerFakeQuantKernel(backend);
  });

  it('matches the tfjs-op path exactly on the grid, with the same gradient mask, and leaks nothing', async () => {
    expect(await initBackend(backend)).toBe(backend);
    expect(tf.getKernel(FAKE_QUANT_KERNEL, backend)).toBeDefined();
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 5 * 5 * 3 }, (_, i) => Math.sin(i * 1.7) * 3), [2, 5, 5, 3]);
    const before = tf.memory().numTensors;
    const fused = run(x);
    expect(tf.memory().numTensors).toBe(before);
    tf.unregisterKernel(FAKE_QUANT_KERNEL, backend);
    const composite = run(x);
    for (let i = 0; i < x.size; i++) expect(fused.y[i]).toBeCloseTo(composite.y[i]!, 5);
    expect(Array.from(fused.g)).toEqual(Array.from(composite.g));
    // Outside [-0.8, 2.3] the gradient is 0; inside it is the upstream gradient (here the index).
    const xs = x.dataSync();
    expect(Array.from(fused.g).every((v, i) => v === (xs[i]! >= -0.8 && xs[i]! <= 2.3 ? i : 0) || Math.abs(xs[i]! - 2.3) < 0.02 || Math.abs(xs[i]! + 0.8) < 0.02)).toBe(true);
    x.dispose();
  });
});
