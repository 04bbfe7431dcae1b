import * as tf from '@tensorflow/tfjs';
import { QuantWeighted, biasAndActivation, type QatActivation, type QuantWeightedArgs } from './quant-weighted.js';
import { firstShape } from './shapes.js';

export interface QuantConv2DTransposeArgs extends QuantWeightedArgs {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
}

/** Keras' deconv_length without output padding: the output size of a transposed convolution. */
export function deconvLength(size: number | null, k: number, stride: number, padding: 'same' | 'valid'): number | null {
  if (size == null) return null;
  return padding === 'same' ? size * stride : size * stride + Math.max(k - stride, 0);
}

/**
 * Conv2DTranspose with a fake-quantized kernel. tfjs stores it [kh, kw, out, in]; the output
 * channel is axis 2, so the kernel is seen as [kh, kw, in, out] for its per-channel scales (TFLite
 * TRANSPOSE_CONV holds OHWI weights quantized per axis 0 — tfmot's (0, 1, 3, 2) transpose trick).
 */
export class QuantConv2DTranspose extends QuantWeighted<QuantConv2DTransposeArgs> {
  static className = 'QatkitQuantConv2DTranspose';

  protected kernelShape(inputShape: tf.Shape): number[] {
    const [kh, kw] = this.args.kernelSize;
    return [kh, kw, this.args.filters, inputShape[inputShape.length - 1]!];
  }

  protected channels(kernelShape: readonly number[]): number {
    return kernelShape[2]!;
  }

  protected channelsLast(kernel: tf.Tensor): tf.Tensor {
    return tf.transpose(kernel, [0, 1, 3, 2]);
  }

  protected fromChannelsLast(kernel: tf.Tensor): tf.Tensor {
    return tf.transpose(kernel, [0, 1, 3, 2]);
  }

  protected apply_(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: QatActivation): tf.Tensor {
    const { strides, padding, kernelSize, filters } = this.args;
    const [b, h, w] = x.shape as number[];
    const out: [number, number, number, number] = [b!, deconvLength(h!, kernelSize[0], strides[0], padding)!, deconvLength(w!, kernelSize[1], strides[1], padding)!, filters];
    return biasAndActivation(tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, out, strides, padding), bias, activation);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    const { kernelSize, strides, padding, filters } = this.args;
    return [s[0]!, deconvLength(s[1]!, kernelSize[0], strides[0], padding), deconvLength(s[2]!, kernelSize[1], strides[1], padding), filters];
  }
}
