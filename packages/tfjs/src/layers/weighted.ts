import * as tf from '@tensorflow/tfjs';
import { BIAS_LIMIT, QatkitError, REQUANT_TARGET, type QuantizerSpec } from '@qatkit/core';
import { weightScales } from './fake-quant-ops.js';

/**
 * What QuantConv2D and QuantDense share: the weight scales and output-scale floor that core's
 * limits.ts prescribes, computed from the layer's current weights and the scale of the
 * fake-quant that feeds it — the same numbers toGraph derives, so training sees the deployed model.
 */

/** A fake-quant layer as the weighted layers see it (avoids an import cycle with fake-quant.ts). */
export interface ScaleSource {
  /** The nudged scale the layer quantizes with now (a scalar tensor). */
  scaleTensor(): tf.Scalar;
}

/** Layer classes that move or select values without changing their quantization. */
const PASS_THROUGH = new Set(['MaxPooling2D', 'Flatten', 'Reshape', 'Dropout']);

function isScaleSource(layer: unknown): layer is ScaleSource & tf.layers.Layer {
  return typeof (layer as Partial<ScaleSource>).scaleTensor === 'function';
}

/**
 * The fake-quant whose grid a layer's input lies on: its inbound layer, through pooling, reshape
 * and dropout. Layer graphs are fixed once a model is built (and rebuilt the same on load).
 */
export function inputQuantOf(layer: tf.layers.Layer): ScaleSource {
  let current: tf.layers.Layer = layer;
  for (let hops = 0; hops < 64; hops++) {
    const nodes = current.inboundNodes;
    const next = nodes.length === 1 && nodes[0]!.inboundLayers.length === 1 ? nodes[0]!.inboundLayers[0] : undefined;
    if (!next) break;
    if (isScaleSource(next)) return next;
    if (!PASS_THROUGH.has(next.getClassName())) break;
    current = next;
  }
  throw new QatkitError(
    'INVALID_GRAPH',
    `layer "${layer.name}" is not fed by a fake-quant layer (through pooling or reshape only) in one place; build QAT models with quantizeModel()`,
  );
}

export interface WeightedArgs {
  readonly weightQuantizer: QuantizerSpec;
  readonly perAxis: boolean;
}

/**
 * Scales for `kernel` whose output channel is its last axis: per channel or per tensor, widened
 * where the bias would not fit int32 at the current input scale (core's biasSafeWeightScales).
 */
export function kernelScales(kernel: tf.Tensor, bias: tf.Tensor | undefined, inputScale: tf.Scalar, args: WeightedArgs): tf.Tensor {
  return tf.tidy(() => {
    const axes = args.perAxis ? [...Array(kernel.rank - 1).keys()] : null;
    const need = bias ? tf.div(tf.abs(bias), tf.mul(inputScale, BIAS_LIMIT)) : undefined;
    return weightScales(kernel, axes, args.weightQuantizer, need && !args.perAxis ? tf.max(need) : need);
  });
}

/** core's requantFloor: input scale × the largest weight scale / REQUANT_TARGET. */
export function requantFloorTensor(inputScale: tf.Scalar, scales: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.mul(inputScale, tf.max(scales)), REQUANT_TARGET) as tf.Scalar);
}

/**
 * The source layer's name, derived from the QAT layer's (`quant_<name>`) rather than saved in its
 * config: tfjs camel-cases string config values on load (dense_Dense1 → denseDense1), which would
 * rename the exported tensors.
 */
export function sourceNameOf(name: string | undefined, given: string | undefined): string {
  return given ?? (name ?? '').replace(/^quant_/, '');
}
