import { QatkitError } from '../errors.js';

/**
 * Rules that keep every derived integer quantity of a quantized conv / fully-connected op inside
 * what the runtimes accept. Training (the fake-quant layers) and export apply the same rules, so
 * the deployed model computes what the QAT model simulated; the exporter re-checks them.
 *
 * 1. Requantization ratio. An op's accumulator is rescaled by M_c = inputScale × weightScale[c] /
 *    outputScale. XNNPACK (LiteRT's default CPU path) refuses a model where any M_c ≥ 256
 *    (src/operators/convolution-nhwc.c, fully-connected-nc.c: "requantization scale … is greater or
 *    equal to 256.0"), and TFLite's reference kernels need the left shift to stay small. A
 *    collapsed output range (a ReLU that never fires) would give M ≈ 10^5, so an output scale never
 *    goes below `requantFloor` = inputScale × max(weightScale) / REQUANT_TARGET.
 * 2. Bias. The int32 bias is round(bias / (inputScale × weightScale[c])). After a collapsed input
 *    range (scale ~1e-9) or for a channel whose weights are all ~0, that overflows int32. Like the
 *    TFLite converter, we widen that channel's weight scale until |bias_q| ≤ BIAS_LIMIT instead of
 *    clamping (`biasSafeWeightScales`). BIAS_LIMIT is 2^30, not 2^31 − 1, to leave the int32
 *    accumulator room for the sum of products (up to 2^30 / (255 × 127) ≈ 33,000 terms at their worst).
 * 3. Elementwise ops (found on LiteRT; exporter-tflite's elementwise-limits.ts checks them): int8 ADD
 *    and SUB rescale their inputs onto 2 × max(input scale) / 2^20 and abort (ADD) or compute wrong
 *    values (SUB) once max(input scale) / output scale reaches 2^19; MUL wraps its int32
 *    intermediate once input1 × input2 / output scale reaches about 2^14. After a collapsed range
 *    (an Add + ReLU whose sum is never positive) the output scale is floored at
 *    `addFloor` = max(input scale) / 2^18 and `mulFloor` = input1 × input2 / 2^13.
 */

/** XNNPACK's bound on a requantization ratio (exclusive). */
export const REQUANT_LIMIT = 256;
/** Floors aim for ratios up to this, half the limit: float32 rounding in training cannot cross it. */
export const REQUANT_TARGET = 128;
/** Largest |int32 bias| we emit. */
export const BIAS_LIMIT = 2 ** 30;

/** Output scales ≥ this keep every channel's requantization ratio ≤ REQUANT_TARGET. */
export function requantFloor(inputScale: number, weightScales: readonly number[]): number {
  let max = 0;
  for (const s of weightScales) if (s > max) max = s;
  return (inputScale * max) / REQUANT_TARGET;
}

/**
 * Weight scales widened where a channel's bias would not fit: scale[c] ≥ |bias[c]| / (inputScale ×
 * BIAS_LIMIT). Per-tensor weights (one scale) are widened for the largest bias.
 */
export function biasSafeWeightScales(weightScales: readonly number[], bias: ArrayLike<number>, inputScale: number): number[] {
  const perTensor = weightScales.length === 1;
  if (!perTensor && weightScales.length !== bias.length) {
    throw new QatkitError('INVALID_SHAPE', `bias has ${bias.length} channels but the weights have ${weightScales.length} scales`);
  }
  const out = [...weightScales];
  for (let c = 0; c < bias.length; c++) {
    const need = Math.abs(bias[c]!) / (inputScale * BIAS_LIMIT);
    const k = perTensor ? 0 : c;
    if (need > out[k]!) out[k] = need;
  }
  return out;
}

/** The largest requantization ratio of an op, for checks and messages. */
export function maxRequantRatio(inputScale: number, weightScales: readonly number[], outputScale: number): number {
  return requantFloor(inputScale, weightScales) * REQUANT_TARGET / outputScale;
}

/** Largest max(input scale) / output scale an ADD/SUB floor allows (TFLite breaks at 2^19). */
export const ADD_RATIO_TARGET = 2 ** 18;
/** Largest input1 × input2 / output scale a MUL floor allows (the int32 intermediate wraps near 2^14). */
export const MUL_RATIO_TARGET = 2 ** 13;

/** Output scales ≥ this keep an int8 ADD/SUB inside TFLite's kernel. */
export function addFloor(inputScales: readonly number[]): number {
  return Math.max(...inputScales) / ADD_RATIO_TARGET;
}

/** Output scales ≥ this keep an int8 MUL's int32 intermediate from wrapping. */
export function mulFloor(scaleA: number, scaleB: number): number {
  return (scaleA * scaleB) / MUL_RATIO_TARGET;
}
