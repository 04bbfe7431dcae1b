import * as tf from '@tensorflow/tfjs';
import { ADD_RATIO_TARGET, MUL_RATIO_TARGET, QatkitError, quantLevels, type QuantizerSpec } from '@qatkit/core';
import { fakeQuantAverage, fakeQuantFixed, fakeQuantRange, fakeRequantize, nudgeRangeTensors, type NudgedTensors } from './fake-quant-ops.js';
import { inputQuantOf, valueSourceOf } from './weighted.js';

/**
 * How the range is tracked: `ema` (activations: moving average seeded by the first batch),
 * `all-values` (model input: running min/max), `fixed` (set once: softmax, or a user-given input
 * range), `tied` (no range of its own: re-rounds onto the grid of the fake-quant before the
 * same-scale op it follows, e.g. an average pool, as the integer kernel does), `requant` (an input of
 * a concatenation or maximum moved onto the op's output grid, as the exported QUANTIZE op does).
 */
export type RangeMode = 'ema' | 'all-values' | 'fixed' | 'tied' | 'requant';

export interface FakeQuantArgs {
  name?: string;
  mode: RangeMode;
  quantizer: QuantizerSpec;
  emaDecay?: number;
  /** For `fixed`: the real range [min, max] (nudged like any other), or explicit scale/zero point. */
  fixedRange?: [number, number];
  fixedScale?: number;
  fixedZeroPoint?: number;
}

/** What a conv/dense layer offers the fake-quant after it (see weighted.ts). */
interface FloorSource {
  requantFloor(application: number): tf.Scalar;
}

/** An Add's or Multiply's output floor from the scales its inputs are quantized with. */
function elementwiseFloor(layer: tf.layers.Layer, application: number, cls: 'Add' | 'Multiply'): tf.Scalar {
  return tf.tidy(() => {
    const node = layer.inboundNodes[application]!;
    const scales = node.inboundLayers.map((l, k) => valueSourceOf(l, node.nodeIndices[k]!).scaleTensor());
    if (cls === 'Add') return tf.div(tf.max(tf.stack(scales)), ADD_RATIO_TARGET) as tf.Scalar;
    return tf.div(scales.reduce((a, b) => tf.mul(a, b) as tf.Scalar), MUL_RATIO_TARGET) as tf.Scalar;
  });
}

/** A fake-quant layer for activations; its min/max are non-trainable weights saved with the model. */
export class FakeQuant extends tf.layers.Layer {
  static className = 'QatkitFakeQuant';
  readonly args: FakeQuantArgs;
  private minVar?: tf.LayerVariable;
  private maxVar?: tf.LayerVariable;
  private countVar?: tf.LayerVariable;
  private minScaleVar?: tf.LayerVariable;
  /** Set by calibrate(): ranges update in inference mode too. Instance state, never global. */
  calibrating = false;
  /**
   * Set by calibrate() for a method that tracks the range itself (minmax, percentile, MSE): it sees
   * each input instead of the layer's own update and sets the range with setRange() before the
   * input is quantized, so the layers after it already see a valid grid.
   */
  observer?: (x: tf.Tensor) => void;

  constructor(args: FakeQuantArgs) {
    super({ name: args.name, trainable: false });
    if (args.mode === 'fixed' && !args.fixedRange && args.fixedScale === undefined) {
      throw new QatkitError('INVALID_OPTION', `fake-quant layer ${args.name ?? ''}: fixed mode needs fixedRange or fixedScale`);
    }
    this.args = { emaDecay: 0.99, ...args };
  }

  override build(): void {
    const [lo, hi] = this.args.fixedRange ?? [0, 0];
    this.minVar = this.addWeight('min', [], 'float32', tf.initializers.constant({ value: lo }), undefined, false);
    this.maxVar = this.addWeight('max', [], 'float32', tf.initializers.constant({ value: hi }), undefined, false);
    // Batches seen while training; 0 means "no range yet".
    this.countVar = this.addWeight('count', [], 'float32', tf.initializers.zeros(), undefined, false);
    // The scale floor core's limits.ts sets after a conv/dense (0: none), kept from the last training step.
    this.minScaleVar = this.addWeight('min_scale', [], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const { mode, quantizer, fixedScale, fixedZeroPoint } = this.args;
      if (mode === 'fixed' && fixedScale !== undefined) return fakeQuantFixed(x, fixedScale, fixedZeroPoint ?? 0, quantizer);
      if (mode === 'requant') {
        const node = this.inboundNodes[0]!;
        const from = valueSourceOf(node.inboundLayers[0]!, node.nodeIndices[0]!) as FakeQuant;
        return fakeRequantize(x, from.nudgedTensors(), this.targetQuant().nudgedTensors(), quantizer);
      }
      if ((kwargs['training'] === true || this.calibrating) && mode !== 'fixed' && mode !== 'tied') {
        if (this.observer) this.observer(x);
        else this.updateRange(x);
        this.refreshFloor();
      }
      // A tied layer follows an averaging op: round as its integer kernel does.
      if (mode === 'tied') {
        const source = inputQuantOf(this) as FakeQuant;
        return fakeQuantAverage(x, source.nudgedTensors(), source.args.quantizer);
      }
      return fakeQuantRange(x, this.nudgedTensors());
    });
  }

  /** For `requant`: the fake-quant after the same-scale op this layer feeds. */
  private targetQuant(): FakeQuant {
    const op = this.outboundNodes[0]?.outboundLayer;
    const target = op?.outboundNodes[0]?.outboundLayer;
    if (!(target instanceof FakeQuant)) throw new QatkitError('INVALID_GRAPH', `requantizing layer "${this.name}" does not feed an op followed by a fake-quant; build QAT models with quantizeModel()`);
    return target;
  }

  /** Scale and nudged range this layer quantizes with now (a tied layer's come from its source). */
  nudgedTensors(): NudgedTensors {
    if (this.args.mode === 'tied') return (inputQuantOf(this) as FakeQuant).nudgedTensors();
    if (this.args.mode === 'requant') return this.targetQuant().nudgedTensors();
    const { fixedScale, fixedZeroPoint, quantizer } = this.args;
    if (fixedScale !== undefined) {
      const { qmin, qmax } = quantLevels(quantizer);
      const z = fixedZeroPoint ?? 0;
      return { scale: tf.scalar(fixedScale), nudgedMin: tf.scalar((qmin - z) * fixedScale), nudgedMax: tf.scalar((qmax - z) * fixedScale) };
    }
    return nudgeRangeTensors(this.minVar!.read() as tf.Scalar, this.maxVar!.read() as tf.Scalar, quantizer, this.minScaleVar!.read() as tf.Scalar);
  }

  /**
   * The scale floor the op right before this layer needs (core limits.ts): a conv/dense's
   * requantization floor, or an Add/Multiply's (through a ReLU fused after it); undefined for
   * ops with no limit.
   */
  private producerFloor(): tf.Scalar | undefined {
    let node = this.inboundNodes.length === 1 ? this.inboundNodes[0] : undefined;
    for (let hops = 0; node && node.inboundLayers.length === 1 && hops < 4; hops++) {
      const layer = node.inboundLayers[0]!;
      const application = node.nodeIndices[0]!;
      if (typeof (layer as Partial<FloorSource>).requantFloor === 'function') return (layer as unknown as FloorSource).requantFloor(application);
      // QatkitQuantAdd (quant-add.ts; named here to avoid an import cycle) is the QAT model's Add.
      const cls = layer.getClassName() === 'QatkitQuantAdd' ? 'Add' : layer.getClassName();
      if (cls === 'Add' || cls === 'Multiply') return elementwiseFloor(layer, application, cls);
      // Add + ReLU runs as one op: look through the activation to the Add.
      if (cls !== 'ReLU' && cls !== 'Activation') return undefined;
      node = layer.inboundNodes[application];
    }
    return undefined;
  }

  /**
   * Recomputes the scale floor from the current weights and input scales (no data needed): after
   * calibrate() moved the ranges, the floors follow the final input scales.
   */
  refreshFloor(): void {
    tf.tidy(() => {
      const floor = this.producerFloor();
      if (floor) this.minScaleVar!.write(floor);
    });
  }

  /** Sets the tracked range as calibrate() computed it; `count` > 0 marks it as set for toGraph. */
  setRange(min: number, max: number, count: number): void {
    tf.tidy(() => {
      this.minVar!.write(tf.scalar(min));
      this.maxVar!.write(tf.scalar(max));
      this.countVar!.write(tf.scalar(count));
    });
  }

  /** The scale this layer quantizes with now. */
  scaleTensor(): tf.Scalar {
    return tf.tidy(() => this.nudgedTensors().scale);
  }

  private updateRange(x: tf.Tensor): void {
    tf.tidy(() => {
      const bMin = tf.min(x);
      const bMax = tf.max(x);
      const count = this.countVar!.read();
      const seen = tf.greater(count, 0);
      const oldMin = this.minVar!.read();
      const oldMax = this.maxVar!.read();
      let newMin: tf.Tensor;
      let newMax: tf.Tensor;
      if (this.args.mode === 'all-values') {
        newMin = tf.where(seen, tf.minimum(oldMin, bMin), bMin);
        newMax = tf.where(seen, tf.maximum(oldMax, bMax), bMax);
      } else {
        // The first batch sets the range; later ones move it by (1 - decay).
        const d = tf.mul(tf.cast(seen, 'float32'), this.args.emaDecay!);
        const keep = tf.sub(1, d);
        newMin = tf.add(tf.mul(oldMin, d), tf.mul(bMin, keep));
        newMax = tf.add(tf.mul(oldMax, d), tf.mul(bMax, keep));
      }
      this.minVar!.write(newMin);
      this.maxVar!.write(newMax);
      this.countVar!.write(tf.add(count, 1));
    });
  }

  /** The tracked range, its scale floor, and how many training batches shaped it. */
  range(): { min: number; max: number; count: number; minScale: number } {
    if (this.args.mode === 'fixed' && this.args.fixedScale !== undefined) {
      return { min: NaN, max: NaN, count: Infinity, minScale: 0 };
    }
    return {
      min: this.minVar!.read().dataSync()[0]!,
      max: this.maxVar!.read().dataSync()[0]!,
      count: this.args.mode === 'fixed' ? Infinity : this.countVar!.read().dataSync()[0]!,
      minScale: this.minScaleVar!.read().dataSync()[0]!,
    };
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...rest } = this.args;
    return { ...super.getConfig(), ...(rest as unknown as tf.serialization.ConfigDict) };
  }
}
