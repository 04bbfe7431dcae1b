import * as tf from '@tensorflow/tfjs';
import type { QuantizerSpec } from '@qatkit/core';
import { fakeQuantWeights } from './fake-quant-ops.js';
import { inputQuantOf, kernelScales, requantFloorTensor, sourceNameOf } from './weighted.js';
import { firstShape } from './shapes.js';
import type { QatActivation } from './quant-conv2d.js';

export interface QuantDenseArgs {
  name?: string;
  units: number;
  useBias: boolean;
  activation: QatActivation;
  weightQuantizer: QuantizerSpec;
  /** Per output unit (axis 1 of the [in, out] kernel) or per tensor (the TFLite spec's default). */
  perAxis: boolean;
  /** The layer it replaces (default: this layer's name without `quant_`). */
  sourceName?: string;
}

/** Dense on rank-2 input whose kernel is fake-quantized every step. */
export class QuantDense extends tf.layers.Layer {
  static className = 'QatkitQuantDense';
  readonly args: QuantDenseArgs & { sourceName: string };
  kernel?: tf.LayerVariable;
  bias?: tf.LayerVariable;

  constructor(args: QuantDenseArgs) {
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
    this.kernel = this.addWeight('kernel', [shape[shape.length - 1]!, this.args.units], 'float32', tf.initializers.glorotUniform({}));
    if (this.args.useBias) this.bias = this.addWeight('bias', [this.args.units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    return [...s.slice(0, -1), this.args.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const { activation, weightQuantizer } = this.args;
      const b = fakeQuantWeights(this.kernel!.read(), this.weightScales(), weightQuantizer) as tf.Tensor2D;
      return tf.fused.matMul({ a: x, b, ...(this.bias ? { bias: this.bias.read() } : {}), activation });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, sourceName: _source, ...rest } = this.args;
    return { ...super.getConfig(), ...(rest as unknown as tf.serialization.ConfigDict) };
  }
}
