// Named, seeded tfjs layers applied to symbolic tensors: the vocabulary the architectures are
// written in. Every initializer gets a seed derived from the model seed and the layer's name, so
// a build is reproducible and no two layers of the same shape start with the same weights.
import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;
export type Padding = 'same' | 'valid';
export type Pad2D = [[number, number], [number, number]];

/** Batch-norm settings (Keras' defaults differ per architecture). */
export interface BnSettings {
  readonly momentum: number;
  readonly epsilon: number;
}

/**
 * A 32-bit seed for one layer: FNV-1a of `seed/name`, never 0 (tfjs treats a falsy seed as
 * "no seed" and falls back to Math.random).
 */
export function layerSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5;
  for (const ch of `${seed}/${name}`) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash === 0 ? 1 : hash;
}

/** The channel count of a channels-last symbolic tensor. */
export const channelsOf = (x: T): number => x.shape[x.shape.length - 1]!;

/** `[height, width]` of a channels-last 4-D symbolic tensor. */
export const spatialOf = (x: T): [number, number] => [x.shape[1]!, x.shape[2]!];

export class Builder {
  constructor(
    readonly seed: number,
    readonly bnSettings: BnSettings,
  ) {}

  private glorot(name: string): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: layerSeed(this.seed, name) });
  }

  private apply(layer: tf.layers.Layer, x: T | T[]): T {
    return layer.apply(x) as T;
  }

  /** Conv2D without bias unless asked (every conv followed by batch norm has none). */
  conv(x: T, name: string, args: { filters: number; kernelSize: number; strides?: number; padding?: Padding; useBias?: boolean }): T {
    const { filters, kernelSize, strides = 1, padding = 'same', useBias = false } = args;
    return this.apply(
      tf.layers.conv2d({ name, filters, kernelSize, strides, padding, useBias, kernelInitializer: this.glorot(name), biasInitializer: 'zeros' }),
      x,
    );
  }

  /** DepthwiseConv2D 3×3, depth multiplier 1, no bias. */
  depthwise(x: T, name: string, args: { strides: number; padding: Padding }): T {
    return this.apply(
      tf.layers.depthwiseConv2d({
        name,
        kernelSize: 3,
        strides: args.strides,
        padding: args.padding,
        depthMultiplier: 1,
        useBias: false,
        depthwiseInitializer: this.glorot(name),
      }),
      x,
    );
  }

  bn(x: T, name: string): T {
    return this.apply(tf.layers.batchNormalization({ name, axis: -1, ...this.bnSettings }), x);
  }

  relu6(x: T, name: string): T {
    return this.apply(tf.layers.reLU({ name, maxValue: 6 }), x);
  }

  relu(x: T, name: string): T {
    return this.apply(tf.layers.reLU({ name }), x);
  }

  zeroPad(x: T, name: string, padding: Pad2D): T {
    return this.apply(tf.layers.zeroPadding2d({ name, padding }), x);
  }

  add(xs: T[], name: string): T {
    return this.apply(tf.layers.add({ name }), xs);
  }

  globalAveragePool(x: T, name: string): T {
    return this.apply(tf.layers.globalAveragePooling2d({ name }), x);
  }

  reshape(x: T, name: string, targetShape: number[]): T {
    return this.apply(tf.layers.reshape({ name, targetShape }), x);
  }

  dropout(x: T, name: string, rate: number): T {
    return this.apply(tf.layers.dropout({ name, rate, seed: layerSeed(this.seed, name) }), x);
  }

  dense(x: T, name: string, units: number, activation?: 'softmax'): T {
    return this.apply(tf.layers.dense({ name, units, activation, kernelInitializer: this.glorot(name), biasInitializer: 'zeros' }), x);
  }

  softmax(x: T, name: string): T {
    return this.apply(tf.layers.activation({ name, activation: 'softmax' }), x);
  }
}
