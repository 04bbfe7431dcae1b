import * as tf from '@tensorflow/tfjs';
import { atrousConv } from './atrous.js';
import { QuantWeighted, biasAndActivation, type QatActivation, type QuantWeightedArgs } from './quant-weighted.js';
import { firstShape } from './shapes.js';

export type { QatActivation };

export interface QuantConv2DArgs extends QuantWeightedArgs {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilationRate: [number, number];
  padding: 'same' | 'valid';
}

/** TFLite's output length of a windowed op. */
export function convOutLength(size: number | null, k: number, stride: number, dilation: number, padding: 'same' | 'valid'): number | null {
  if (size == null) return null;
  const effective = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - effective + 1) / stride);
}

/** NHWC output shape of a windowed op with `channels` output channels. */
export function windowedShape(s: tf.Shape, w: Pick<QuantConv2DArgs, 'kernelSize' | 'strides' | 'dilationRate' | 'padding'>, channels: number | null): tf.Shape {
  return [
    s[0]!,
    convOutLength(s[1]!, w.kernelSize[0], w.strides[0], w.dilationRate[0], w.padding),
    convOutLength(s[2]!, w.kernelSize[1], w.strides[1], w.dilationRate[1], w.padding),
    channels,
  ];
}

/** Conv2D whose kernel ([kh, kw, in, out]) is fake-quantized every step, per output channel by default. */
export class QuantConv2D extends QuantWeighted<QuantConv2DArgs> {
  static className = 'QatkitQuantConv2D';

  protected kernelShape(inputShape: tf.Shape): number[] {
    const [kh, kw] = this.args.kernelSize;
    return [kh, kw, inputShape[inputShape.length - 1]!, this.args.filters];
  }

  protected channels(kernelShape: readonly number[]): number {
    return kernelShape[3]!;
  }

  protected channelsLast(kernel: tf.Tensor): tf.Tensor {
    return kernel;
  }

  protected fromChannelsLast(kernel: tf.Tensor): tf.Tensor {
    return kernel;
  }

  protected apply_(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: QatActivation): tf.Tensor {
    const { strides, dilationRate, padding, kernelSize } = this.args;
    if (dilationRate[0] === 1 && dilationRate[1] === 1) {
      return tf.fused.conv2d({ x: x as tf.Tensor4D, filter: kernel as tf.Tensor4D, strides, pad: padding, dataFormat: 'NHWC', dilations: dilationRate, ...(bias ? { bias } : {}), activation });
    }
    // Dilated: tfjs cannot differentiate it directly (see atrous.ts).
    const y = atrousConv(x as tf.Tensor4D, kernelSize, dilationRate, padding, (s) => tf.conv2d(s, kernel as tf.Tensor4D, 1, 'valid'));
    return biasAndActivation(y, bias, activation);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return windowedShape(firstShape(inputShape), this.args, this.args.filters);
  }
}
