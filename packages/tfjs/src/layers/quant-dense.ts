import * as tf from '@tensorflow/tfjs';
import { QuantWeighted, type QatActivation, type QuantWeightedArgs } from './quant-weighted.js';
import { firstShape } from './shapes.js';

export interface QuantDenseArgs extends QuantWeightedArgs {
  units: number;
}

/**
 * Dense whose kernel [in, out] is fake-quantized every step (per tensor, the TFLite spec's
 * default, or per output unit). Inputs of rank > 2 are applied on the last axis, as Keras does
 * (TFLite FULLY_CONNECTED with keep_num_dims).
 */
export class QuantDense extends QuantWeighted<QuantDenseArgs> {
  static className = 'QatkitQuantDense';

  protected kernelShape(inputShape: tf.Shape): number[] {
    return [inputShape[inputShape.length - 1]!, this.args.units];
  }

  protected channels(kernelShape: readonly number[]): number {
    return kernelShape[1]!;
  }

  protected channelsLast(kernel: tf.Tensor): tf.Tensor {
    return kernel;
  }

  protected fromChannelsLast(kernel: tf.Tensor): tf.Tensor {
    return kernel;
  }

  protected apply_(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: QatActivation): tf.Tensor {
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1]!]);
    const y = tf.fused.matMul({ a: flat as tf.Tensor2D, b: kernel as tf.Tensor2D, ...(bias ? { bias } : {}), activation });
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.args.units]);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    return [...s.slice(0, -1), this.args.units];
  }
}
