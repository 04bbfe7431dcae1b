import * as tf from '@tensorflow/tfjs';
import type { QuantizerSpec } from '@qatkit/core';
import { fakeQuantWeights } from './fake-quant-ops.js';
import { inputQuantOf, kernelScales, requantFloorTensor, sourceNameOf } from './weighted.js';
import { firstShape } from './shapes.js';

export type QatActivation = 'linear' | 'relu' | 'relu6';

export interface QuantConv2DArgs {
  name?: string;
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilationRate: [number, number];
  padding: 'same' | 'valid';
  useBias: boolean;
  /** Applied before the output fake-quant: the TFLite fused activation. */
  activation: QatActivation;
  weightQuantizer: QuantizerSpec;
  perAxis: boolean;
  /** The layer it replaces, for reports and the IR op name (default: this layer's name without `quant_`). */
  sourceName?: string;
}

function convOutLength(size: number | null, k: number, stride: number, dilation: number, padding: 'same' | 'valid'): number | null {
  if (size == null) return null;
  const effective = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - effective + 1) / stride);
}

/** Conv2D whose kernel is fake-quantized every step (per output channel by default). */
export class QuantConv2D extends tf.layers.Layer {
  static className = 'QatkitQuantConv2D';
  readonly args: QuantConv2DArgs & { sourceName: string };
  kernel?: tf.LayerVariable;
  bias?: tf.LayerVariable;

  constructor(args: QuantConv2DArgs) {
    super({ name: args.name });
    this.args = { ...args, sourceName: sourceNameOf(args.name, args.sourceName) };
  }

  /** Weight scales at the current weights and input scale (core's limits.ts rules). */
  weightScales(): tf.Tensor {
    return kernelScales(this.kernel!.read(), this.bias?.read(), inputQuantOf(this).scaleTensor(), this.args);
  }

  /** The smallest output scale that keeps this op's requantization valid. */
  requantFloor(): tf.Scalar {
    return tf.tidy(() => requantFloorTensor(inputQuantOf(this).scaleTensor(), this.weightScales()));
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = firstShape(inputShape);
    const inChannels = shape[shape.length - 1]!;
    const [kh, kw] = this.args.kernelSize;
    this.kernel = this.addWeight('kernel', [kh, kw, inChannels, this.args.filters], 'float32', tf.initializers.glorotUniform({}));
    if (this.args.useBias) this.bias = this.addWeight('bias', [this.args.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    const { kernelSize, strides, dilationRate, padding, filters } = this.args;
    return [
      s[0]!,
      convOutLength(s[1]!, kernelSize[0], strides[0], dilationRate[0], padding),
      convOutLength(s[2]!, kernelSize[1], strides[1], dilationRate[1], padding),
      filters,
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const { strides, dilationRate, padding, activation, weightQuantizer } = this.args;
      const filter = fakeQuantWeights(this.kernel!.read(), this.weightScales(), weightQuantizer) as tf.Tensor4D;
      return tf.fused.conv2d({
        x,
        filter,
        strides,
        pad: padding,
        dataFormat: 'NHWC',
        dilations: dilationRate,
        ...(this.bias ? { bias: this.bias.read() } : {}),
        activation,
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, sourceName: _source, ...rest } = this.args;
    return { ...super.getConfig(), ...(rest as unknown as tf.serialization.ConfigDict) };
  }
}
