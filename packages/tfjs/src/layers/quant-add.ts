import * as tf from '@tensorflow/tfjs';
import { fakeQuantParams } from '../emit/params.js';
import type { FakeQuant } from './fake-quant.js';
import { gridOwner, ownRange, roundHalfEven, settled, soleReader, xnnOutputBounds } from './integer-inference.js';
import { valueSourceOf, type ScaleSource } from './weighted.js';

/**
 * The Add of two quantized values in a QAT model. Training (and the float path) adds the values;
 * inference computes XNNPACK's int8 add bit for bit, as the weighted layers do for their ops
 * (integer-inference.ts): a float add rounded half up lands a step away from XNNPACK's fixed-point
 * add about once in a million values, and in a deep residual network that step then spreads.
 *
 * XNNPACK (microparams-init.c xnn_init_qs8_add_minmax_scalar_params, qs8-vadd kernels):
 *   r_a = s_a / s_out, r_b = s_b / s_out (float32); shift = 20 − ⌊log2 max(r_a, r_b)⌋;
 *   m_a = rne(r_a · 2^shift), m_b likewise (≤ 2^21);
 *   out = ⌊(m_a (q_a − z_a) + m_b (q_b − z_b) + 2^(shift−1)) / 2^shift⌋ + z_out, clamped
 * to int8 narrowed by a fused ReLU/ReLU6 (xnn_qs8_quantize of its bounds).
 */
export class QuantAdd extends tf.layers.Layer {
  static className = 'QatkitQuantAdd';
  /** As QuantWeighted.exactInference: false keeps the float add at inference. Not saved. */
  exactInference = true;
  private cache?: { key: readonly object[]; params: AddParams | undefined };

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      if (kwargs['training'] !== true && this.exactInference && xs.length === 2) {
        const exact = this.integerAdd(xs[0]!, xs[1]!);
        if (exact) return exact;
      }
      return xs.slice(1).reduce((a, b) => tf.add(a, b), xs[0]!);
    });
  }

  private integerAdd(a: tf.Tensor, b: tf.Tensor): tf.Tensor | undefined {
    const site = addSite(this);
    if (!site) return undefined;
    const key = [...site.owners[0].weights, ...site.owners[1].weights, ...site.out.weights].map((w) => w.read().dataId as object);
    if (!this.cache || this.cache.key.length !== key.length || this.cache.key.some((k, i) => k !== key[i])) {
      // Reads the ranges (a device sync): only when one changed since the last call.
      if (!settled(site.out) || !site.owners.every(settled)) return undefined;
      this.cache = { key, params: addParams(site) };
    }
    const p = this.cache.params;
    if (!p) return undefined;
    const [sa, sb] = site.sources.map((s) => s.scaleTensor());
    // q − z of each input, recovered exactly from its grid.
    const qa = tf.round(tf.div(a, sa!));
    const qb = tf.round(tf.div(b, sb!));
    // m·q up to 2^29 is past float32's exact integers: split m = hi·2^11 + lo, so every partial sum
    // stays below 2^20; since 2^(shift−1) is a multiple of 2^11, the low bits' fraction below 2^11
    // cannot carry across a multiple of 2^shift (see the file comment's formula).
    const hi = tf.add(tf.mul(qa, p.aHi), tf.mul(qb, p.bHi));
    const lo = tf.add(tf.mul(qa, p.aLo), tf.mul(qb, p.bLo));
    const m = tf.add(tf.add(hi, tf.floor(tf.div(lo, 2 ** 11))), 2 ** (p.shift - 12));
    const q = tf.clipByValue(tf.add(tf.floor(tf.div(m, 2 ** (p.shift - 11))), p.zeroPoint), p.min, p.max);
    return tf.mul(tf.sub(q, p.zeroPoint), site.out.scaleTensor());
  }
}

interface AddSite {
  readonly sources: readonly [ScaleSource, ScaleSource];
  readonly owners: readonly [FakeQuant, FakeQuant];
  readonly out: FakeQuant;
  readonly activation: 'none' | 'relu' | 'relu6';
}

interface AddParams {
  readonly aHi: number;
  readonly aLo: number;
  readonly bHi: number;
  readonly bLo: number;
  readonly shift: number;
  readonly zeroPoint: number;
  readonly min: number;
  readonly max: number;
}

/** A ReLU layer fused into the Add before it (the export's fused activation), or undefined. */
function fusedActivation(layer: tf.layers.Layer): 'relu' | 'relu6' | undefined {
  const c = layer.getConfig() as Record<string, unknown>;
  const cls = layer.getClassName();
  if (cls === 'ReLU' && (c['maxValue'] == null || c['maxValue'] === 6) && !c['negativeSlope'] && !c['threshold']) return c['maxValue'] === 6 ? 'relu6' : 'relu';
  if (cls === 'Activation' && (c['activation'] === 'relu' || c['activation'] === 'relu6')) return c['activation'];
  return undefined;
}

/** The grids the Add reads and the fake-quant it writes to (through a fused ReLU), when all are plain. */
function addSite(layer: tf.layers.Layer): AddSite | undefined {
  const node = layer.inboundNodes.length === 1 ? layer.inboundNodes[0] : undefined;
  if (!node || node.inboundLayers.length !== 2) return undefined;
  const sources = node.inboundLayers.map((l, k) => valueSourceOf(l, node.nodeIndices[k]!)) as [ScaleSource, ScaleSource];
  const owners = sources.map(gridOwner);
  if (!owners[0] || !owners[1] || owners.some((o) => o!.calibrating)) return undefined;
  const next = soleReader(layer);
  const direct = ownRange(next);
  const activation = direct ? 'none' : next ? fusedActivation(next) : undefined;
  const out = direct ?? (activation && next ? ownRange(soleReader(next)) : undefined);
  if (!out || !activation || out.calibrating) return undefined;
  return { sources, owners: owners as [FakeQuant, FakeQuant], out, activation };
}

/** XNNPACK's add parameters from the exported scales; undefined where XNNPACK would not take the op. */
function addParams(site: AddSite): AddParams | undefined {
  const [qa, qb] = site.owners.map(fakeQuantParams);
  const qo = fakeQuantParams(site.out);
  const so = Math.fround(qo.scale[0]!);
  const ra = Math.fround(Math.fround(qa!.scale[0]!) / so);
  const rb = Math.fround(Math.fround(qb!.scale[0]!) / so);
  // The unbiased exponent of the larger ratio (its float32 bits >> 23, − 127): ⌊log2⌋, corrected
  // where Math.log2 rounds across a power of two.
  const big = Math.max(ra, rb);
  let exponent = Math.floor(Math.log2(big));
  if (2 ** exponent > big) exponent--;
  else if (2 ** (exponent + 1) <= big) exponent++;
  const shift = 20 - exponent;
  if (!(ra >= 2 ** -10 && rb >= 2 ** -10 && Math.max(ra, rb) < 2 ** 8) || shift < 12 || shift > 30) return undefined;
  const [ma, mb] = [roundHalfEven(ra * 2 ** shift), roundHalfEven(rb * 2 ** shift)];
  const zp = qo.zeroPoint[0]!;
  const { lo, hi } = xnnOutputBounds(qo.scale[0]!, zp, site.out.args.quantizer, site.activation);
  return {
    aHi: Math.floor(ma / 2 ** 11),
    aLo: ma % 2 ** 11,
    bHi: Math.floor(mb / 2 ** 11),
    bLo: mb % 2 ** 11,
    shift,
    zeroPoint: zp,
    min: lo,
    max: hi,
  };
}
