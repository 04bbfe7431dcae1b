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

function isScaleSource(layer: unknown): layer is ScaleSource & tf.layers.Layer {
  return typeof (layer as Partial<ScaleSource>).scaleTensor === 'function';
}

/** Walks back from one application of `layer` to the fake-quant whose grid its input lies on. */
function sourceOf(layer: tf.layers.Layer, nodeIndex: number): ScaleSource {
  let current = layer;
  let index = nodeIndex;
  // Same-scale layers (pooling, padding, reshape, …) sit between; anything else has its own fake-quant.
  for (let hops = 0; hops < 256; hops++) {
    const node = current.inboundNodes[index];
    // One input value (a RepeatVector's concatenation reads the same value n times).
    const single = node?.inboundLayers.every((l, k) => l === node.inboundLayers[0] && node.nodeIndices[k] === node.nodeIndices[0] && node.tensorIndices[k] === node.tensorIndices[0]);
    if (!node || node.inboundLayers.length === 0 || !single) break;
    const next = node.inboundLayers[0]!;
    if (isScaleSource(next)) return next;
    if (typeof (next as Partial<{ requantFloor: unknown }>).requantFloor === 'function') break;
    current = next;
    index = node.nodeIndices[0]!;
  }
  throw new QatkitError(
    'INVALID_GRAPH',
    `layer "${layer.name}" is not fed by a fake-quant layer (through same-scale layers only); build QAT models with quantizeModel()`,
  );
}

/**
 * The fake-quant whose grid each application of `layer` reads (one per inbound node). Layer graphs
 * are fixed once a model is built, and rebuilt the same on load.
 */
export function inputQuantsOf(layer: tf.layers.Layer): ScaleSource[] {
  if (layer.inboundNodes.length === 0) throw new QatkitError('INVALID_GRAPH', `layer "${layer.name}" is not part of a model yet`);
  return layer.inboundNodes.map((_, i) => sourceOf(layer, i));
}

/** The fake-quant whose grid the value made by `layer` at node `nodeIndex` lies on. */
export function valueSourceOf(layer: tf.layers.Layer, nodeIndex: number): ScaleSource {
  return isScaleSource(layer) ? layer : sourceOf(layer, nodeIndex);
}

/** The fake-quant feeding the first application of `layer`. */
export function inputQuantOf(layer: tf.layers.Layer): ScaleSource {
  return sourceOf(layer, 0);
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
