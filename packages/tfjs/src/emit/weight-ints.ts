import { biasSafeWeightScales, quantize, quantizeBias, weightQuantization, type Quantization, type QuantizerSpec } from '@qatkit/core';

/**
 * The integers a weighted op is exported with, from its folded float weights: the one place they
 * are computed, shared by the emitter (emit-weighted.ts) and by the QAT layers' integer-exact
 * inference (layers/integer-inference.ts), so the model that predicts and the file that deploys
 * hold the same int8 weights and int32 bias by construction.
 */

export interface WeightInts {
  /** Weight quantization, with `axis` as the caller asked (the IR layout's channel axis). */
  readonly quantization: Quantization;
  /** int8 weights in the kernel's channels-last layout (output channel on the last axis). */
  readonly kernel: Int8Array;
  readonly bias: { readonly data: Int32Array; readonly quantization: Quantization };
}

export interface WeightIntsArgs {
  /** Folded kernel, channels last, and its shape. */
  readonly kernel: Float32Array;
  readonly shape: readonly number[];
  readonly bias: Float32Array;
  readonly quantizer: QuantizerSpec;
  readonly perAxis: boolean;
  /** The scale of the input grid (the bias is quantized on inputScale × weightScale). */
  readonly inputScale: number;
  /** Smallest input scale over a shared layer's applications: its bias must fit every one. */
  readonly minInputScale: number;
  /** Channel axis to record in the quantization (the IR layout's; undefined for per tensor). */
  readonly axis: number;
  /** Names the tensor in error messages. */
  readonly what: string;
}

/** |max| per output channel (the last axis of a channels-last kernel), or one overall. */
export function channelAbsMax(kernel: Float32Array, channels: number, perAxis: boolean): number[] {
  const out = new Array<number>(perAxis ? channels : 1).fill(0);
  for (let i = 0; i < kernel.length; i++) {
    const k = perAxis ? i % channels : 0;
    const v = Math.abs(kernel[i]!);
    if (v > out[k]!) out[k] = v;
  }
  return out;
}

/**
 * Scales as the QAT layer trained with (core limits.ts: widened where the bias would not fit at
 * `minInputScale`), int8 weights and the int32 bias on inputScale × weightScale.
 */
export function weightInts(a: WeightIntsArgs): WeightInts {
  const channels = a.shape.at(-1)!;
  const maxes = channelAbsMax(a.kernel, channels, a.perAxis);
  const axis = a.perAxis ? a.axis : undefined;
  const plain = weightQuantization(maxes.map((m) => -m), maxes, a.quantizer, axis, a.what);
  const quantization = weightQuantization(maxes.map((m) => -m), maxes, a.quantizer, axis, a.what, biasSafeWeightScales(plain.scale, a.bias, a.minInputScale));
  // Quantized in the channels-last layout (channel = last axis); element-wise, so any layout's
  // transpose of these integers equals quantizing the transposed floats.
  const kernel = quantize(a.kernel, a.shape, { ...quantization, ...(a.perAxis ? { axis: a.shape.length - 1 } : {}) }) as Int8Array;
  return { quantization, kernel, bias: quantizeBias(a.bias, a.inputScale, quantization.scale) };
}
