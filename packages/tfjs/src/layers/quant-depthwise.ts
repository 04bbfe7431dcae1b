import * as tf from '@tensorflow/tfjs';
import { atrousConv } from './atrous.js';
import { windowedShape } from './quant-conv2d.js';
import { QuantWeighted, biasAndActivation, type QatActivation, type QuantWeightedArgs } from './quant-weighted.js';
import { firstShape } from './shapes.js';

export interface QuantDepthwiseConv2DArgs extends QuantWeightedArgs {
  kernelSize: [number, number];
  strides: [number, number];
  dilationRate: [number, number];
  padding: 'same' | 'valid';
  depthMultiplier: number;
}

/**
 * DepthwiseConv2D with a fake-quantized kernel [kh, kw, in, multiplier]. Output channel c·m + j
 * gets its own range, as TFLite stores it ([1, kh, kw, in·m], per axis 3) — not one range per
 * multiplier index, tfmot's train/deploy mismatch (anchors §A.11).
 */
export class QuantDepthwiseConv2D extends QuantWeighted<QuantDepthwiseConv2DArgs> {
  static className = 'QatkitQuantDepthwiseConv2D';

  protected kernelShape(inputShape: tf.Shape): number[] {
    const [kh, kw] = this.args.kernelSize;
    return [kh, kw, inputShape[inputShape.length - 1]!, this.args.depthMultiplier];
  }

  protected channels(kernelShape: readonly number[]): number {
    return kernelShape[2]! * kernelShape[3]!;
  }

  protected channelsLast(kernel: tf.Tensor): tf.Tensor {
    const [kh, kw, c, m] = kernel.shape as number[];
    return tf.reshape(kernel, [kh!, kw!, 1, c! * m!]);
  }

  protected fromChannelsLast(kernel: tf.Tensor): tf.Tensor {
    const [kh, kw] = kernel.shape as number[];
    const m = this.args.depthMultiplier;
    return tf.reshape(kernel, [kh!, kw!, kernel.shape[3]! / m, m]);
  }

  protected apply_(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: QatActivation): tf.Tensor {
    const { strides, dilationRate, padding, kernelSize } = this.args;
    if (dilationRate[0] === 1 && dilationRate[1] === 1) {
      return tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: kernel as tf.Tensor4D, strides, pad: padding, dataFormat: 'NHWC', dilations: dilationRate, ...(bias ? { bias } : {}), activation });
    }
    // Dilated: tfjs cannot differentiate it directly (see atrous.ts).
    const y = atrousConv(x as tf.Tensor4D, kernelSize, dilationRate, padding, (s) => tf.depthwiseConv2d(s, kernel as tf.Tensor4D, 1, 'valid'));
    return biasAndActivation(y, bias, activation);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    return windowedShape(s, this.args, s[3] == null ? null : s[3] * this.args.depthMultiplier);
  }
}
