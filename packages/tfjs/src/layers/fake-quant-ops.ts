import * as tf from '@tensorflow/tfjs';
import { MIN_RANGE, quantLevels, type QuantizerSpec } from '@qatkit/core';
import { FAKE_QUANT_KERNEL } from '../kernels/fake-quant-kernel.js';

/**
 * Straight-through fake quantization in tfjs ops. The math mirrors @qatkit/core's nudgeRange and
 * quantize exactly, so the integer model exported from the trained ranges computes what training saw.
 */

export interface NudgedTensors {
  scale: tf.Scalar;
  nudgedMin: tf.Scalar;
  nudgedMax: tf.Scalar;
}

/**
 * core's powerOfTwoAtLeast in tensor ops: the nearest exponent from log2, then one comparison each
 * way, so float32 error in the log cannot pick a different power than core does.
 */
export function powerOfTwoAtLeastTensor<T extends tf.Tensor>(scale: T): T {
  return tf.tidy(() => {
    const p = tf.pow(tf.scalar(2), tf.round(tf.div(tf.log(scale), Math.LN2)));
    const up = tf.where(tf.less(p, scale), tf.mul(p, 2), p);
    return tf.where(tf.greaterEqual(tf.div(up, 2), scale), tf.div(up, 2), up) as T;
  });
}

/** The spec's scale rule, after every floor (core's nudgeRange order). */
function allowedScale<T extends tf.Tensor>(scale: T, spec: QuantizerSpec): T {
  return spec.scale === 'power-of-two' ? powerOfTwoAtLeastTensor(scale) : scale;
}

/**
 * TF FakeQuantWithMinMaxVars nudging, as scalar tensor ops (no device sync); `minScale` is core's
 * nudgeRange floor (limits.ts), so a collapsed range gets the parameters the export will use.
 */
export function nudgeRangeTensors(min: tf.Scalar, max: tf.Scalar, spec: QuantizerSpec, minScale?: tf.Scalar): NudgedTensors {
  const { qmin, qmax } = quantLevels(spec);
  if (spec.symmetric) return nudgeSymmetricTensors(min, max, spec, minScale);
  return tf.tidy(() => {
    const lo = tf.minimum(min, 0);
    const hi = tf.maximum(tf.maximum(max, 0), tf.add(lo, MIN_RANGE));
    const fromRange = tf.div(tf.sub(hi, lo), qmax - qmin) as tf.Scalar;
    const scale = allowedScale(minScale ? (tf.maximum(fromRange, minScale) as tf.Scalar) : fromRange, spec);
    // Math.round semantics (half up) so the zero point equals core's nudgeRange.
    const zp = tf.clipByValue(tf.floor(tf.add(tf.sub(qmin, tf.div(lo, scale)), 0.5)), qmin, qmax);
    return {
      scale,
      nudgedMin: tf.mul(tf.sub(qmin, zp), scale) as tf.Scalar,
      nudgedMax: tf.mul(tf.sub(qmax, zp), scale) as tf.Scalar,
    };
  });
}

/**
 * core's symmetric nudgeRange as tensor ops (e.g. scheme-nbit's symmetric activations): zero point
 * at the middle level (0 when signed), scale = max(|min|, |max|) / (qmax − zero point).
 */
function nudgeSymmetricTensors(min: tf.Scalar, max: tf.Scalar, spec: QuantizerSpec, minScale?: tf.Scalar): NudgedTensors {
  const { qmin, qmax } = quantLevels(spec);
  const half = spec.signed ? 0 : 2 ** (spec.bits - 1);
  return tf.tidy(() => {
    const absMax = tf.maximum(tf.maximum(tf.neg(min), max), MIN_RANGE);
    const fromRange = tf.div(absMax, qmax - half) as tf.Scalar;
    const scale = minScale ? (tf.maximum(fromRange, minScale) as tf.Scalar) : fromRange;
    return { scale, nudgedMin: tf.mul(scale, qmin - half) as tf.Scalar, nudgedMax: tf.mul(scale, qmax - half) as tf.Scalar };
  });
}

/**
 * Fake-quantizes `x` to the grid of [nudgedMin, nudgedMax]. Gradient: straight through inside the
 * range, zero outside (the FakeQuantWithMinMaxVars gradient). Uses the one-pass kernel where it is
 * registered (cpu, wasm), tfjs ops elsewhere (webgl, tfjs-node).
 */
export function fakeQuantRange(x: tf.Tensor, n: NudgedTensors): tf.Tensor {
  const fused = tf.getKernel(FAKE_QUANT_KERNEL, tf.getBackend()) != null;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    let value: tf.Tensor;
    let mask: tf.Tensor;
    if (fused) {
      const params = tf.stack([n.scale, n.nudgedMin, n.nudgedMax]);
      [value, mask] = tf.engine().runKernel(FAKE_QUANT_KERNEL, { x: input, params }, {}) as tf.Tensor[] as [tf.Tensor, tf.Tensor];
    } else {
      const clipped = tf.minimum(tf.maximum(input, n.nudgedMin), n.nudgedMax);
      const levels = tf.floor(tf.add(tf.div(tf.sub(clipped, n.nudgedMin), n.scale), 0.5));
      value = tf.add(tf.mul(levels, n.scale), n.nudgedMin);
      mask = tf.cast(tf.equal(clipped, input), 'float32');
    }
    // 1 where the input was inside the range; saved because forward tensors are freed before backprop.
    save([mask]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  });
  return f(x) as tf.Tensor;
}

/** Fixed (scale, zeroPoint) fake quantization, e.g. softmax's (1/256, -128). */
export function fakeQuantFixed(x: tf.Tensor, scale: number, zeroPoint: number, spec: QuantizerSpec): tf.Tensor {
  const { qmin, qmax } = quantLevels(spec);
  return tf.tidy(() =>
    fakeQuantRange(x, {
      scale: tf.scalar(scale),
      nudgedMin: tf.scalar((qmin - zeroPoint) * scale),
      nudgedMax: tf.scalar((qmax - zeroPoint) * scale),
    }),
  );
}

/**
 * Per-channel (when `axes` lists the other axes) or per-tensor symmetric weight scales from the
 * current weights (tfmot's LastValueQuantizer), raised to `minScale` where given: core's
 * weightQuantization with biasSafeWeightScales, in tensor ops.
 */
export function weightScales(kernel: tf.Tensor, axes: number[] | null, spec: QuantizerSpec, minScale?: tf.Tensor): tf.Tensor {
  const { qmax } = quantLevels(spec);
  return tf.tidy(() => {
    const absMax = axes ? tf.max(tf.abs(kernel), axes) : tf.max(tf.abs(kernel));
    const scale = tf.div(tf.maximum(absMax, MIN_RANGE), qmax);
    return allowedScale(minScale ? tf.maximum(scale, minScale) : scale, spec);
  });
}

/**
 * Symmetric weight fake quantization onto `scale` (from weightScales). Gradient is the identity
 * (straight through: every weight lies inside its own range unless a bias widened the scale,
 * and then still inside it).
 */
export function fakeQuantWeights(kernel: tf.Tensor, scale: tf.Tensor, spec: QuantizerSpec): tf.Tensor {
  const { qmin, qmax } = quantLevels(spec);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const k = args[0] as tf.Tensor;
    const value = tf.mul(tf.clipByValue(tf.round(tf.div(k, scale)), qmin, qmax), scale);
    return { value, gradFunc: (dy: tf.Tensor) => dy };
  });
  return f(kernel) as tf.Tensor;
}

/**
 * Fake quantization that rounds ties away from zero in the integer domain, as TFLite's int8
 * AVERAGE_POOL_2D (and XNNPACK's) round an average of raw int8 values: (sum ± count/2) / count.
 * Averages of integers make exact ties common (a 2×2 pool: one value in four), and float noise
 * would otherwise decide them; 1e-3 of a level is far above float32 noise and far below the
 * 1/count spacing of true averages.
 */
export function fakeQuantAverage(x: tf.Tensor, n: NudgedTensors, spec: QuantizerSpec): tf.Tensor {
  const { qmin, qmax } = quantLevels(spec);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const raw = tf.add(tf.div(tf.sub(input, n.nudgedMin), n.scale), qmin);
    const q = tf.clipByValue(tf.mul(tf.sign(raw), tf.floor(tf.add(tf.abs(raw), 0.5 + 1e-3))), qmin, qmax);
    const value = tf.add(tf.mul(tf.sub(q, qmin), n.scale), n.nudgedMin);
    const mask = tf.cast(tf.logicalAnd(tf.greaterEqual(input, n.nudgedMin), tf.lessEqual(input, n.nudgedMax)), 'float32');
    save([mask]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  });
  return f(x) as tf.Tensor;
}

/**
 * Requantization from one int8 grid onto another as LiteRT runs QUANTIZE (int8 → int8): XNNPACK's
 * convert takes the ratio s_in / s_out with 8 fractional bits (M = round(256 · ratio)) and rounds
 * half up, out = ⌊((q − z_in) · M + 128) / 256⌋ + z_out, when the ratio lies in [2^-8, 2^7];
 * TFLite's own kernel (exact ratio, round to nearest) runs outside it. `x` lies on `from`'s grid.
 * Gradient: straight through inside the target range.
 */
export function fakeRequantize(x: tf.Tensor, from: NudgedTensors, to: NudgedTensors, spec: QuantizerSpec): tf.Tensor {
  const { qmin, qmax } = quantLevels(spec);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const ratio = tf.div(from.scale, to.scale);
    const inXnnpack = tf.logicalAnd(tf.greaterEqual(ratio, 2 ** -8), tf.lessEqual(ratio, 2 ** 7));
    const multiplier = tf.where(inXnnpack, tf.div(tf.round(tf.mul(ratio, 256)), 256), ratio);
    // Levels above the grid's minimum: q − z_in on the source grid, (z_out − qmin) on the target.
    const qIn = tf.round(tf.div(tf.sub(input, from.nudgedMin), from.scale));
    const zIn = tf.round(tf.div(tf.neg(from.nudgedMin), from.scale));
    const zOut = tf.round(tf.div(tf.neg(to.nudgedMin), to.scale));
    const scaled = tf.mul(tf.sub(qIn, zIn), multiplier);
    const levels = tf.where(inXnnpack, tf.floor(tf.add(scaled, 0.5)), tf.mul(tf.sign(scaled), tf.floor(tf.add(tf.abs(scaled), 0.5))));
    const q = tf.clipByValue(tf.add(levels, zOut), 0, qmax - qmin);
    const value = tf.add(tf.mul(q, to.scale), to.nudgedMin);
    save([tf.cast(tf.logicalAnd(tf.greaterEqual(input, to.nudgedMin), tf.lessEqual(input, to.nudgedMax)), 'float32')]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  });
  return f(x) as tf.Tensor;
}
