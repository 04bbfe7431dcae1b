import { QatkitError } from '../errors.js';
import type { Quantization } from '../ir/types.js';
import { BIAS_LIMIT } from './limits.js';
import { quantLevels } from './range.js';

/** TFLite rounds half away from zero (std::round), which is what Math.round is not for negatives. */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Index of the quantization parameters that apply to each flat element: per-tensor → always 0;
 * per-axis → the element's coordinate along `axis` of `shape`.
 */
function channelOf(shape: readonly number[], q: Quantization): (i: number) => number {
  if (q.scale.length === 1 && q.axis === undefined) return () => 0;
  const axis = q.axis ?? 0;
  const dim = shape[axis];
  if (dim !== q.scale.length) {
    throw new QatkitError(
      'INVALID_SHAPE',
      `per-axis quantization has ${q.scale.length} scales but dimension ${axis} of [${shape.join(', ')}] is ${dim}`,
    );
  }
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return (i) => Math.floor(i / inner) % dim;
}

/** Quantizes real values into the storage type of `q` (Int8Array for signed 8-bit, etc.). */
export function quantize(values: ArrayLike<number>, shape: readonly number[], q: Quantization): Int8Array | Uint8Array | Int16Array | Int32Array {
  const { qmin, qmax } = quantLevels({ bits: q.bits, signed: q.signed, narrowRange: q.narrowRange, symmetric: false });
  const out =
    q.bits <= 8 ? (q.signed ? new Int8Array(values.length) : new Uint8Array(values.length)) : q.bits <= 16 && q.signed ? new Int16Array(values.length) : new Int32Array(values.length);
  const ch = channelOf(shape, q);
  const n = values.length;
  const inner = innerOf(shape, q, n);
  if (inner === 0) {
    for (let i = 0; i < n; i++) out[i] = clamp(roundHalfAwayFromZero(values[i]! / q.scale[ch(i)]!) + q.zeroPoint[ch(i)]!, qmin, qmax);
    return out;
  }
  // Runs of `inner` elements share a channel: the same arithmetic as per element, without a
  // division and modulo per element (toGraph quantizes every weight of a model here).
  for (let start = 0; start < n; start += inner) {
    const c = ch(start);
    const s = q.scale[c]!;
    const zp = q.zeroPoint[c]!;
    const end = Math.min(start + inner, n);
    for (let i = start; i < end; i++) out[i] = clamp(roundHalfAwayFromZero(values[i]! / s) + zp, qmin, qmax);
  }
  return out;
}

/** Length of a run of elements with one channel (0 when the shape has none: element by element). */
function innerOf(shape: readonly number[], q: Quantization, n: number): number {
  if (q.scale.length === 1 && q.axis === undefined) return n;
  let inner = 1;
  for (let d = (q.axis ?? 0) + 1; d < shape.length; d++) inner *= shape[d]!;
  return inner;
}

export function dequantize(values: ArrayLike<number>, shape: readonly number[], q: Quantization): Float32Array {
  const out = new Float32Array(values.length);
  const ch = channelOf(shape, q);
  for (let i = 0; i < values.length; i++) {
    const c = ch(i);
    out[i] = (values[i]! - q.zeroPoint[c]!) * q.scale[c]!;
  }
  return out;
}

/**
 * Simulated quantization in floating point (quantize then dequantize) — what a fake-quant layer
 * computes in its forward pass.
 */
export function fakeQuantize(values: ArrayLike<number>, shape: readonly number[], q: Quantization): Float32Array {
  return dequantize(quantize(values, shape, q), shape, q);
}

/**
 * int32 bias for conv / fully-connected ops: scale = inputScale × weightScale[c], zero point 0.
 * `weightScales` has one entry (per-tensor) or one per output channel.
 */
export function quantizeBias(bias: ArrayLike<number>, inputScale: number, weightScales: readonly number[]): { data: Int32Array; quantization: Quantization } {
  if (weightScales.length !== 1 && weightScales.length !== bias.length) {
    throw new QatkitError('INVALID_SHAPE', `bias has ${bias.length} channels but the weights have ${weightScales.length} scales`);
  }
  const scales = Array.from({ length: weightScales.length }, (_, c) => inputScale * weightScales[c]!);
  const data = new Int32Array(bias.length);
  for (let i = 0; i < bias.length; i++) {
    const s = scales[weightScales.length === 1 ? 0 : i]!;
    const q = roundHalfAwayFromZero(bias[i]! / s);
    // A clamped bias would silently shift the channel's output: widen the weight scale instead.
    if (!(Math.abs(q) <= BIAS_LIMIT)) {
      throw new QatkitError(
        'INVALID_RANGE',
        `bias ${bias[i]} of channel ${i} needs ${q} steps of ${s} (input scale × weight scale), beyond the int32 bias limit ±${BIAS_LIMIT}; ` +
          'widen the weight scale with biasSafeWeightScales() first',
      );
    }
    data[i] = q;
  }
  return {
    data,
    quantization: {
      scale: scales,
      zeroPoint: scales.map(() => 0),
      ...(weightScales.length === 1 ? {} : { axis: 0 }),
      bits: 32,
      signed: true,
      narrowRange: false,
    },
  };
}
