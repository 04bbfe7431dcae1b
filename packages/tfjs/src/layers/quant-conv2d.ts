import * as tf from '@tensorflow/tfjs';
import { atrousConv } from './atrous.js';
import { QuantWeighted, type QatActivation, type QuantWeightedArgs } from './quant-weighted.js';
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
    const biased = bias ? tf.add(y, bias) : y;
    return activation === 'relu' ? tf.relu(biased) : activation === 'relu6' ? tf.relu6(biased) : biased;
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
}
