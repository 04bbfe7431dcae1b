import { QatkitError } from '../errors.js';
import type { Quantization } from '../ir/types.js';

/** How a tensor is quantized, independent of the values it holds. */
export interface QuantizerSpec {
  readonly bits: number;
  /** Symmetric ranges give zero point 0 (weights); asymmetric ones fit [min, max] (activations). */
  readonly symmetric: boolean;
  /** Drop the most negative level, e.g. int8 [-127, 127] instead of [-128, 127]. */
  readonly narrowRange: boolean;
  /** Signed storage (int8) or unsigned (uint8). */
  readonly signed: boolean;
  /**
   * Which scales are allowed: 'any' (the default) or 'power-of-two', for accelerators that
   * requantize by shifting. A power-of-two scale is the range's own scale rounded up, so the range
   * still fits; the zero point is then derived from it as usual.
   */
  readonly scale?: 'any' | 'power-of-two';
}

/**
 * The smallest range width a quantizer accepts. A tensor that is all zeros would otherwise give
 * scale 0, which no runtime accepts; the fake-quant layers use the same floor so training and
 * export agree.
 */
export const MIN_RANGE = 1e-6;

export interface QuantLevels {
  /** Lowest and highest integer in storage (e.g. -127..127 for narrow int8). */
  readonly qmin: number;
  readonly qmax: number;
}

export function quantLevels(spec: QuantizerSpec): QuantLevels {
  const { bits, signed, narrowRange } = spec;
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) {
    throw new QatkitError('INVALID_OPTION', `bit width must be an integer in [2, 16], got ${bits}`);
  }
  // Checked here because every quantizer (core's and the tfjs bridge's) asks for its levels first.
  if (spec.scale !== undefined && spec.scale !== 'any' && spec.scale !== 'power-of-two') {
    throw new QatkitError('INVALID_OPTION', `quantizer scale must be 'any' or 'power-of-two', got ${String(spec.scale)}`);
  }
  const qmin = signed ? -(2 ** (bits - 1)) : 0;
  const qmax = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return { qmin: narrowRange ? qmin + 1 : qmin, qmax };
}

export interface NudgedRange {
  readonly scale: number;
  /** In storage terms (signed when the spec is signed). */
  readonly zeroPoint: number;
  /** The range actually represented: min and max moved so that 0.0 is exactly a level. */
  readonly min: number;
  readonly max: number;
}

/**
 * The smallest power of two ≥ `scale`. Math.log2 can be off by an ulp near exact powers, so the
 * exponent is corrected by comparison: the result is exact, and the same as the tfjs bridge's.
 */
export function powerOfTwoAtLeast(scale: number): number {
  if (!(scale > 0) || !Number.isFinite(scale)) return scale;
  let p = 2 ** Math.round(Math.log2(scale));
  if (p < scale) p *= 2;
  else if (p / 2 >= scale) p /= 2;
  return p;
}

/**
 * The spec's scale rule applied after every floor: rounding up keeps each floor satisfied. The
 * power is taken of the float32 scale, as the bridge computes it in training: a float64 scale a
 * hair above 2^k that float32 rounds to 2^k must not become 2^(k+1) here only.
 */
function allowedScale(scale: number, spec: QuantizerSpec): number {
  return spec.scale === 'power-of-two' ? powerOfTwoAtLeast(Math.fround(scale)) : scale;
}

/** float32's largest finite value: scales are stored as float32 in every format. */
const FLOAT32_MAX = 3.4028234663852886e38;

function assertFinite(min: number, max: number, what: string): void {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new QatkitError(
      'INVALID_RANGE',
      `${what}: range [${min}, ${max}] is not finite; the model produced NaN or infinite values (check the learning rate and the input data)`,
    );
  }
  if (min > max) throw new QatkitError('INVALID_RANGE', `${what}: range min ${min} is above max ${max}`);
}

function assertScale(scale: number, min: number, max: number, what: string): void {
  if (!(scale <= FLOAT32_MAX)) {
    throw new QatkitError('INVALID_RANGE', `${what}: range [${min}, ${max}] is too wide for a float32 scale; the model's values overflow (check the learning rate and the input data)`);
  }
}

/**
 * qmin − lo / scale in float32 steps, as the fake-quant layers compute it in training. A range such
 * as [-1, 1] puts it at exactly −0.5 in float64 but just below in float32, and the exported zero
 * point must be the trained one.
 */
function trainedZeroPointBase(lo: number, hi: number, qmin: number, qmax: number, minScale: number, spec: QuantizerSpec): number {
  const f = Math.fround;
  const lo32 = f(lo);
  const hi32 = Math.max(f(hi), f(lo32 + f(MIN_RANGE)));
  const scale32 = f(allowedScale(Math.max(f(f(hi32 - lo32) / (qmax - qmin)), f(minScale)), spec));
  return f(qmin - f(lo32 / scale32));
}

/**
 * Quantization parameters for a real range, nudged so that 0.0 is exactly representable
 * (the same nudging as TensorFlow's FakeQuantWithMinMaxVars). The range is first widened to
 * include 0; symmetric specs use [-absmax, absmax]. `minScale` raises the scale where the range
 * alone would give a smaller one (see limits.ts: the floors that keep the integer model valid);
 * the range then grows upward from its minimum. A 'power-of-two' spec rounds the scale up last.
 */
export function nudgeRange(min: number, max: number, spec: QuantizerSpec, what = 'tensor', minScale = 0): NudgedRange {
  assertFinite(min, max, what);
  const lo = Math.min(min, 0);
  let hi = Math.max(max, 0);
  const { qmin, qmax } = quantLevels(spec);
  if (spec.symmetric) {
    const absMax = Math.max(-lo, hi, MIN_RANGE);
    // Symmetric: zero point is the middle level; for narrow ranges the levels are ±(qmax).
    const half = spec.signed ? 0 : 2 ** (spec.bits - 1);
    const scale = allowedScale(Math.max(absMax / (qmax - half), minScale), spec);
    assertScale(scale, min, max, what);
    return { scale, zeroPoint: half, min: (qmin - half) * scale, max: (qmax - half) * scale };
  }
  if (hi - lo < MIN_RANGE) hi = lo + MIN_RANGE;
  const scale = allowedScale(Math.max((hi - lo) / (qmax - qmin), minScale), spec);
  assertScale(scale, min, max, what);
  const zpFromMin = trainedZeroPointBase(lo, Math.max(max, 0), qmin, qmax, minScale, spec);
  // Half up (floor of + 0.5), as in training; + 0 turns -0 into 0.
  const zeroPoint = (zpFromMin <= qmin ? qmin : zpFromMin >= qmax ? qmax : Math.floor(Math.fround(zpFromMin + 0.5))) + 0;
  return { scale, zeroPoint, min: (qmin - zeroPoint) * scale, max: (qmax - zeroPoint) * scale };
}

/** Per-tensor quantization parameters for an activation range. */
export function activationQuantization(min: number, max: number, spec: QuantizerSpec, what?: string, minScale?: number): Quantization {
  const r = nudgeRange(min, max, spec, what, minScale);
  return {
    scale: [r.scale],
    zeroPoint: [r.zeroPoint],
    bits: spec.bits,
    signed: spec.signed,
    narrowRange: spec.narrowRange,
    min: [min],
    max: [max],
  };
}

/**
 * Per-axis (or per-tensor when `axis` is undefined) symmetric parameters for a weight tensor;
 * `minScales` (one per slice) come from `biasSafeWeightScales`.
 */
export function weightQuantization(
  mins: readonly number[],
  maxs: readonly number[],
  spec: QuantizerSpec,
  axis: number | undefined,
  what?: string,
  minScales?: readonly number[],
): Quantization {
  const ranges = mins.map((mn, i) => nudgeRange(mn, maxs[i]!, spec, what, minScales?.[i]));
  return {
    scale: ranges.map((r) => r.scale),
    zeroPoint: ranges.map((r) => r.zeroPoint),
    ...(axis === undefined ? {} : { axis }),
    bits: spec.bits,
    signed: spec.signed,
    narrowRange: spec.narrowRange,
    min: [...mins],
    max: [...maxs],
  };
}

/** Fixed output parameters, e.g. softmax's (1/256, -128). */
export function fixedQuantization(scale: number, zeroPoint: number, spec: QuantizerSpec): Quantization {
  return { scale: [scale], zeroPoint: [zeroPoint], bits: spec.bits, signed: spec.signed, narrowRange: spec.narrowRange };
}
