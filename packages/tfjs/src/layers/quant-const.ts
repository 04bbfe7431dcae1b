import * as tf from '@tensorflow/tfjs';
import { ADD_RATIO_TARGET, MUL_RATIO_TARGET, type QuantizerSpec } from '@qatkit/core';
import { fakeQuantRange, nudgeRangeTensors } from './fake-quant-ops.js';
import { firstShape } from './shapes.js';
import { valueSourceOf } from './weighted.js';

export type ConstOp = 'mul' | 'add' | 'prelu';

export interface QuantConstOpArgs {
  name?: string;
  op: ConstOp;
  /** The constant's shape (broadcast against the input, numpy rules). */
  shape: number[];
  /** How the export quantizes the constant (per tensor, from its own min/max); none: float. */
  quantizer?: QuantizerSpec;
  /** Whether training moves the constant (a BatchNorm's factors, PReLU's alpha) or not (1/n of an Average). */
  trainable: boolean;
}

/**
 * An elementwise op with a constant operand — MUL/ADD lowered from a standalone BatchNorm, an
 * Average or a Rescaling, and PRELU — whose constant is fake-quantized every step exactly as the
 * export stores it: int8 per tensor on the nudged grid of its own [min, max] (core's
 * activationQuantization). The output's fake-quant follows as its own layer.
 */
export class QuantConstOp extends tf.layers.Layer {
  static className = 'QatkitQuantConstOp';
  readonly args: QuantConstOpArgs;
  constant?: tf.LayerVariable;

  constructor(args: QuantConstOpArgs) {
    super({ name: args.name });
    this.args = args;
  }

  override build(): void {
    this.constant = this.addWeight('constant', this.args.shape, 'float32', tf.initializers.zeros(), undefined, this.args.trainable);
    this.built = true;
  }

  /** The constant as the integer model holds it (dequantized), or as is in float. */
  quantizedConstant(): tf.Tensor {
    return tf.tidy(() => {
      const c = this.constant!.read();
      const { quantizer } = this.args;
      if (!quantizer) return tf.clone(c);
      return fakeQuantRange(c, nudgeRangeTensors(tf.min(c) as tf.Scalar, tf.max(c) as tf.Scalar, quantizer));
    });
  }

  /**
   * The output scale floor core's limits.ts sets for an int8 ADD/MUL (PRELU has none): from the
   * input's scale for application `application` and the constant's.
   */
  requantFloor(application = 0): tf.Scalar {
    return tf.tidy(() => {
      const { quantizer, op } = this.args;
      if (!quantizer || op === 'prelu') return tf.scalar(0);
      const node = this.inboundNodes[application]!;
      const inScale = valueSourceOf(node.inboundLayers[0]!, node.nodeIndices[0]!).scaleTensor();
      const c = this.constant!.read();
      const cScale = nudgeRangeTensors(tf.min(c) as tf.Scalar, tf.max(c) as tf.Scalar, quantizer).scale;
      return (op === 'add' ? tf.div(tf.maximum(inScale, cScale), ADD_RATIO_TARGET) : tf.div(tf.mul(inScale, cScale), MUL_RATIO_TARGET)) as tf.Scalar;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const c = this.quantizedConstant();
      if (this.args.op === 'mul') return tf.mul(x, c);
      if (this.args.op === 'add') return tf.add(x, c);
      return tf.prelu(x, c);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return firstShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...rest } = this.args;
    return { ...super.getConfig(), ...(rest as unknown as tf.serialization.ConfigDict) };
  }
}
