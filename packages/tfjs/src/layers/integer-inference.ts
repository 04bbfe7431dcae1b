import * as tf from '@tensorflow/tfjs';
import { quantLevels, type Quantization, type QuantizerSpec } from '@qatkit/core';
import { fakeQuantParams } from '../emit/params.js';
import { weightInts } from '../emit/weight-ints.js';
import { FakeQuant } from './fake-quant.js';
import type { QuantWeighted } from './quant-weighted.js';
import { inputQuantOf } from './weighted.js';

/**
 * Integer-exact inference for the weighted layers: at predict/evaluate they compute what XNNPACK
 * (LiteRT's CPU path) computes, not the float convolution of dequantized values. The float path
 * accumulates with float32 error and rounds (acc·s_in·s_w)/s_out half up; XNNPACK accumulates the
 * exact int32 sum and requantizes in fp32. Where a value lies within float error of a rounding
 * boundary (about 1 in 6,000) the two land one step apart, and deep networks amplify such steps.
 *
 * What XNNPACK does (src/operators/convolution-nhwc.c, fully-connected-nc.c; the qs8-qc8w
 * fp32 microkernels; subgraph/convolution-2d.c for the activation bounds):
 *   scale[c] = s_in · s_w[c] / s_out              in float32, left to right;
 *   out = clamp(rne(float(acc) · scale[c]) + zp_out, lo, hi)
 * with rne the magic-bias round half to even (tf.round is banker's rounding on cpu and wasm),
 * lo/hi the int8 range narrowed by a fused ReLU to zp_out and by ReLU6 to rne(6 / s_out + zp_out).
 * The scales are the exported ones (float32 in the file), the integers those the emitter writes
 * (weight-ints.ts), so prediction and the deployed file cannot drift apart.
 *
 * The accumulation runs in float32 on integer values: exact while every partial sum stays below
 * 2^24, which holds when Σ_k |q_w[k, c]| · max|q_in − zp_in| + |bias[c]| < 2^24 — e.g. any kernel
 * of ≤ 518 taps per channel; MobileNetV2's and ResNet's layers stay far below. Beyond the bound the
 * sum is still within a few float32 ulps of XNNPACK's (whose float(acc) rounds there too).
 *
 * Used only when the layer has one application, reads a fake-quant grid and feeds exactly one
 * fake-quant with a range (learned, calibrated or fixed) that is not being calibrated; otherwise
 * (and always in training) the layer keeps the float straight-through path.
 */

export interface IntegerOps {
  /** The layer's op on integer-valued tensors with the bias added, no activation. */
  accumulate(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor;
  /** A channels-last kernel in the layer's own layout. */
  fromChannelsLast(kernel: tf.Tensor): tf.Tensor;
}

/** Largest integer float32 holds exactly: accumulations below it are exact. */
export const EXACT_SUM_LIMIT = 2 ** 24;

/** The integer parameters of one layer at its current weights and ranges (kept across calls). */
interface Prepared {
  /** int8 weights and int32 bias as float32 tensors; the kernel in the layer's layout. */
  readonly kernel: tf.Tensor;
  readonly bias: tf.Tensor;
  /** float32 requantization scale, per output channel or one. */
  readonly scale: tf.Tensor;
  readonly zeroPoint: number;
  readonly lo: number;
  readonly hi: number;
  /** Whether every accumulation is provably exact in float32 (see EXACT_SUM_LIMIT). */
  readonly exact: boolean;
}

const cache = new WeakMap<QuantWeighted, { key: readonly object[]; prepared: Prepared }>();

/** The fake-quant whose range decides a grid: through tied layers (an average pool's) to their source. */
export function gridOwner(source: unknown): FakeQuant | undefined {
  let fq = source;
  for (let hops = 0; fq instanceof FakeQuant && hops < 64; hops++) {
    if (fq.args.mode === 'requant') return undefined;
    if (fq.args.mode !== 'tied') return fq;
    fq = inputQuantOf(fq);
  }
  return undefined;
}

/** A grid with usable parameters now: not moving under calibrate(), and trained, calibrated or fixed. */
export function settled(fq: FakeQuant): boolean {
  return !fq.calibrating && fq.range().count > 0;
}

/** A fake-quant with a range of its own (not tied to another's, not a requantization). */
export const ownRange = (layer: unknown): FakeQuant | undefined => (layer instanceof FakeQuant && layer.args.mode !== 'tied' && layer.args.mode !== 'requant' ? layer : undefined);

/** The one reader of a layer's output, or undefined (several readers). */
export const soleReader = (layer: tf.layers.Layer): tf.layers.Layer | undefined => (layer.outboundNodes.length === 1 ? layer.outboundNodes[0]!.outboundLayer : undefined);

/**
 * The fake-quant whose grid this layer's output is exported on: the one right after it, or — for
 * a concatenation's sole input, which takes the concatenation's grid (the plan's `shared`) — the
 * one after the concatenation. Undefined otherwise (several readers…).
 */
function outputQuantOf(layer: tf.layers.Layer): FakeQuant | undefined {
  const next = soleReader(layer);
  if (next?.getClassName() === 'Concatenate') return ownRange(soleReader(next));
  return ownRange(next);
}

/**
 * XNNPACK's output bounds (xnn_qs8_quantize of the fused activation's real bounds, then the
 * levels): the zero point under a ReLU, lrintf(6 / s + zp) in float32 for ReLU6. Shared by every
 * integer path (the weighted layers here, QuantAdd).
 */
export function xnnOutputBounds(scale: number, zeroPoint: number, spec: QuantizerSpec, activation: 'none' | 'relu' | 'relu6'): { lo: number; hi: number } {
  const { qmin, qmax } = quantLevels(spec);
  const six = Math.fround(Math.fround(6 / Math.fround(scale)) + zeroPoint);
  return {
    lo: activation === 'none' ? qmin : Math.max(qmin, zeroPoint),
    hi: activation === 'relu6' ? Math.min(qmax, roundHalfEven(six)) : qmax,
  };
}

/** Round half to even (lrintf's default mode, XNNPACK's magic-bias rounding). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function prepare(layer: QuantWeighted, input: Quantization, output: Quantization, out: FakeQuant, ops: IntegerOps): Prepared {
  const { kernel: k, bias: b } = layer.folded();
  const shape = [...k.shape];
  const channels = shape.at(-1)!;
  const kernelData = k.dataSync() as Float32Array;
  const biasData = b ? (b.dataSync() as Float32Array) : new Float32Array(channels);
  // No dispose: without a BatchNorm folded() hands out the variables themselves; the caller's tidy frees the rest.
  const inScale = input.scale[0]!;
  const { weightQuantizer: quantizer, perAxis } = layer.args;
  const ints = weightInts({ kernel: kernelData, shape, bias: biasData, quantizer, perAxis, inputScale: inScale, minInputScale: inScale, axis: shape.length - 1, what: `${layer.args.sourceName}/kernel` });
  const sIn = Math.fround(inScale);
  const sOut = Math.fround(output.scale[0]!);
  const scales = ints.quantization.scale.map((sw) => Math.fround(Math.fround(sIn * Math.fround(sw)) / sOut));
  // Bound on |acc| per channel: Σ|q_w| · max|q_in − zp_in| + |bias|.
  const levels = quantLevels({ bits: input.bits, signed: input.signed, narrowRange: input.narrowRange, symmetric: false });
  const maxIn = Math.max(Math.abs(levels.qmin - input.zeroPoint[0]!), Math.abs(levels.qmax - input.zeroPoint[0]!));
  const sums = new Float64Array(channels);
  ints.kernel.forEach((w, i) => (sums[i % channels] += Math.abs(w)));
  const exact = ints.bias.data.every((v, c) => sums[c]! * maxIn + Math.abs(v) < EXACT_SUM_LIMIT);
  const kernel = tf.keep(ops.fromChannelsLast(tf.tensor(Float32Array.from(ints.kernel), shape)));
  return {
    kernel,
    bias: tf.keep(tf.tensor1d(Float32Array.from(ints.bias.data))),
    scale: tf.keep(scales.length === 1 ? tf.scalar(scales[0]!) : tf.tensor1d(scales)),
    zeroPoint: output.zeroPoint[0]!,
    ...xnnOutputBounds(output.scale[0]!, output.zeroPoint[0]!, out.args.quantizer, layer.args.activation === 'linear' ? 'none' : layer.args.activation),
    exact,
  };
}

/**
 * The layer's output as XNNPACK computes it, on the grid of the fake-quant after it (which then
 * reproduces it exactly), or undefined where the integer path does not apply (see above).
 */
export function integerInference(layer: QuantWeighted, x: tf.Tensor, ops: IntegerOps): tf.Tensor | undefined {
  if (layer.inboundNodes.length !== 1) return undefined;
  const out = outputQuantOf(layer);
  const inSource = inputQuantOf(layer);
  const inOwner = gridOwner(inSource);
  if (!out || !inOwner || out.calibrating || inOwner.calibrating) return undefined;
  // Anything that moves the weights or ranges writes a new tensor into the variable (new dataId).
  const key = [...layer.weights, ...inOwner.weights, ...out.weights].map((w) => w.read().dataId as object);
  let entry = cache.get(layer);
  if (!entry || entry.key.length !== key.length || entry.key.some((k, i) => k !== key[i])) {
    // Reads the ranges (a device sync): only when something changed since the last call.
    if (!settled(out) || !settled(inOwner)) return undefined;
    if (entry) tf.dispose([entry.prepared.kernel, entry.prepared.bias, entry.prepared.scale]);
    entry = { key, prepared: prepare(layer, fakeQuantParams(inOwner), fakeQuantParams(out), out, ops) };
    cache.set(layer, entry);
  }
  const p = entry.prepared;
  return tf.tidy(() => {
    // q_in − zp_in, recovered exactly: x lies on the input grid, x = (q − zp) · s.
    const centred = tf.round(tf.div(x, inSource.scaleTensor()));
    const acc = ops.accumulate(centred, p.kernel, p.bias);
    const q = tf.clipByValue(tf.add(tf.round(tf.mul(acc, p.scale)), p.zeroPoint), p.lo, p.hi);
    // Back to a real value on the output fake-quant's grid, which then re-rounds it to itself. With
    // the exported zero point: the value must be the one the deployed model holds.
    return tf.mul(tf.sub(q, p.zeroPoint), out.scaleTensor());
  });
}

/** Frees what the integer path keeps for `layer` (its integer weights): when the layer is disposed. */
export function releaseIntegerInference(layer: QuantWeighted): void {
  const entry = cache.get(layer);
  if (entry) tf.dispose([entry.prepared.kernel, entry.prepared.bias, entry.prepared.scale]);
  cache.delete(layer);
}

/** Whether the layer's integer path is provably exact at its current parameters (for tests). */
export function integerPathExact(layer: QuantWeighted): boolean | undefined {
  return cache.get(layer)?.prepared.exact;
}

/**
 * Switches the integer-exact inference of every weighted layer of a QAT model on (the default) or
 * off (predict then runs the float fake-quant path, as training sees the model).
 */
export function setExactInference(model: tf.LayersModel, enabled: boolean): void {
  for (const layer of model.layers) {
    if ('exactInference' in layer && typeof layer.exactInference === 'boolean') (layer as QuantWeighted).exactInference = enabled;
  }
}
