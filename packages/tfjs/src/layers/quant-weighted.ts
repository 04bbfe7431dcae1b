import * as tf from '@tensorflow/tfjs';
import type { QuantizerSpec } from '@qatkit/core';
import { fakeQuantWeights } from './fake-quant-ops.js';
import { integerInference, releaseIntegerInference } from './integer-inference.js';
import { firstShape } from './shapes.js';
import { inputQuantsOf, kernelScales, requantFloorTensor, sourceNameOf } from './weighted.js';

export type QatActivation = 'linear' | 'relu' | 'relu6';

/** `y` + bias, then the fused activation: what the fused tfjs ops do, for the paths they cannot take. */
export function biasAndActivation(y: tf.Tensor, bias: tf.Tensor | undefined, activation: QatActivation): tf.Tensor {
  const biased = bias ? tf.add(y, bias) : y;
  return activation === 'relu' ? tf.relu(biased) : activation === 'relu6' ? tf.relu6(biased) : biased;
}

/** A BatchNormalization folded into the layer (its config; the weights move in with it). */
export interface FoldedBatchNorm {
  epsilon: number;
  momentum: number;
  center: boolean;
  scale: boolean;
}

export interface QuantWeightedArgs {
  name?: string;
  useBias: boolean;
  /** Applied before the output fake-quant: the TFLite fused activation. */
  activation: QatActivation;
  weightQuantizer: QuantizerSpec;
  perAxis: boolean;
  /** The layer it replaces (default: this layer's name without `quant_`). */
  sourceName?: string;
  batchNorm?: FoldedBatchNorm;
}

/**
 * A conv-like layer whose weights are fake-quantized every step, with an optional BatchNorm
 * folded in the way the integer model computes it: w·γ/σ and β + (b − μ)·γ/σ with the moving σ
 * and μ. In training the output is rescaled to batch statistics (which also update the moving
 * ones), as in Krishnamoorthi (2018) §3.2; at inference it is exactly the folded op that is
 * exported. Subclasses say how the kernel maps to output channels and how to apply it.
 */
export abstract class QuantWeighted<A extends QuantWeightedArgs = QuantWeightedArgs> extends tf.layers.Layer {
  readonly args: A & { sourceName: string };
  kernel?: tf.LayerVariable;
  bias?: tf.LayerVariable;
  gamma?: tf.LayerVariable;
  beta?: tf.LayerVariable;
  movingMean?: tf.LayerVariable;
  movingVariance?: tf.LayerVariable;
  /**
   * Inference (predict, evaluate) computes what the deployed int8 kernels compute, bit for bit
   * (integer-inference.ts); false keeps the float fake-quant path there too. Instance state, not
   * saved; training always takes the float straight-through path.
   */
  exactInference = true;

  constructor(args: A) {
    super({ name: args.name });
    this.args = { ...args, sourceName: sourceNameOf(args.name, args.sourceName) };
  }

  protected abstract kernelShape(inputShape: tf.Shape): number[];
  /** Output channels for a kernel of `kernelShape`. */
  protected abstract channels(kernelShape: readonly number[]): number;
  /** The kernel with output channels on its last axis, and back. */
  protected abstract channelsLast(kernel: tf.Tensor): tf.Tensor;
  protected abstract fromChannelsLast(kernel: tf.Tensor): tf.Tensor;
  /** The op itself, with bias and activation when given (fused where tfjs can). */
  protected abstract apply_(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: QatActivation): tf.Tensor;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = firstShape(inputShape);
    const kernelShape = this.kernelShape(shape);
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', tf.initializers.glorotUniform({}));
    const channels = this.channels(kernelShape);
    if (this.args.useBias) this.bias = this.addWeight('bias', [channels], 'float32', tf.initializers.zeros());
    const bn = this.args.batchNorm;
    if (bn) {
      if (bn.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
      if (bn.center) this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
      this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
      this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    }
    this.built = true;
  }

  /** BatchNorm's per-channel factor γ/σ (moving σ), or undefined without one. */
  private factor(): tf.Tensor | undefined {
    const bn = this.args.batchNorm;
    if (!bn) return undefined;
    const inv = tf.rsqrt(tf.add(this.movingVariance!.read(), bn.epsilon));
    return this.gamma ? tf.mul(this.gamma.read(), inv) : inv;
  }

  /** Inference-form weights (channels last) and bias: what the export quantizes. */
  folded(): { kernel: tf.Tensor; bias: tf.Tensor | undefined } {
    return tf.tidy(() => {
      const k = this.channelsLast(this.kernel!.read());
      const f = this.factor();
      if (!f) return { kernel: k, bias: this.bias?.read() };
      let b = tf.mul(tf.sub(this.bias ? this.bias.read() : tf.zerosLike(f), this.movingMean!.read()), f);
      if (this.beta) b = tf.add(b, this.beta.read());
      return { kernel: tf.mul(k, f), bias: b };
    });
  }

  /**
   * Clips the inference-form (folded) weights of each output channel to ±limits[c] by clipping the
   * stored kernel at ±limits[c]/|γ/σ|: calibrate()'s MSE weight ranges. The clip lives in the
   * weights themselves, so the fake-quant forward, toGraph and any further training all derive
   * the same (narrower) scales from them; nothing else has to carry it.
   */
  clipFolded(limits: readonly number[]): void {
    tf.tidy(() => {
      const k = this.channelsLast(this.kernel!.read());
      const f = this.factor();
      const lim = tf.tensor1d(Array.from(limits));
      // A channel with γ = 0 folds to zeros whatever its kernel: leave it unclipped (bound ∞).
      const bound = f ? tf.div(lim, tf.abs(f)) : lim;
      this.kernel!.write(this.fromChannelsLast(tf.minimum(tf.maximum(k, tf.neg(bound)), bound)));
    });
  }

  /** Smallest input scale over the layer's applications: a shared layer's bias must fit every one. */
  private minInputScale(): tf.Scalar {
    return tf.tidy(() => tf.min(tf.stack(inputQuantsOf(this).map((q) => q.scaleTensor()))) as tf.Scalar);
  }

  /** Weight scales at the current weights and input scale (core's limits.ts rules). */
  weightScales(): tf.Tensor {
    return tf.tidy(() => {
      const { kernel, bias } = this.folded();
      return kernelScales(kernel, bias, this.minInputScale(), this.args);
    });
  }

  /** The smallest output scale that keeps application `application`'s requantization valid. */
  requantFloor(application = 0): tf.Scalar {
    return tf.tidy(() => requantFloorTensor(inputQuantsOf(this)[application]!.scaleTensor(), this.weightScales()));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (kwargs['training'] !== true && this.exactInference) {
        // Inference computes what the deployed integer kernels compute (integer-inference.ts).
        const exact = integerInference(this, x, { accumulate: (xi, k, b) => this.apply_(xi, k, b, 'linear'), fromChannelsLast: (k) => this.fromChannelsLast(k) });
        if (exact) return exact;
      }
      const { kernel, bias } = this.folded();
      const scales = kernelScales(kernel, bias, this.minInputScale(), this.args);
      const wq = this.fromChannelsLast(fakeQuantWeights(kernel, scales, this.args.weightQuantizer));
      const bn = this.args.batchNorm;
      if (!bn || kwargs['training'] !== true) return this.apply_(x, wq, bias, this.args.activation);
      // Training with BatchNorm: undo the moving-σ scaling, normalise with the batch's statistics.
      let y = tf.div(this.apply_(x, wq, undefined, 'linear'), this.factor()!);
      if (this.bias) y = tf.add(y, this.bias.read());
      const axes = [...Array(y.rank - 1).keys()];
      const { mean, variance } = tf.moments(y, axes);
      this.updateMoving(mean, variance, bn.momentum);
      y = tf.mul(tf.sub(y, mean), tf.rsqrt(tf.add(variance, bn.epsilon)));
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return biasAndActivation(y, undefined, this.args.activation);
    });
  }

  private updateMoving(mean: tf.Tensor, variance: tf.Tensor, momentum: number): void {
    tf.tidy(() => {
      const mm = this.movingMean!.read();
      const mv = this.movingVariance!.read();
      this.movingMean!.write(tf.add(tf.mul(mm, momentum), tf.mul(mean, 1 - momentum)));
      this.movingVariance!.write(tf.add(tf.mul(mv, momentum), tf.mul(variance, 1 - momentum)));
    });
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) releaseIntegerInference(this);
    return result;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, sourceName: _source, ...rest } = this.args;
    return { ...super.getConfig(), ...(rest as unknown as tf.serialization.ConfigDict) };
  }
}
