import * as tf from '@tensorflow/tfjs';
import { QatkitError } from '@qatkit/core';
import type { PlanNode } from '../plan/types.js';

/**
 * A plan node's weights and constants, read from the source layers the plan names (the float
 * model's, or their float clones in a QAT model): the one place that knows where SeparableConv2D's
 * two kernels, Conv1D's reshaped kernel or a BatchNorm's factors live, for QAT and float export alike.
 */

export type LayerAt = (path: string) => tf.layers.Layer;

/** A layer's weight by its tfjs name (`kernel`, `depthwise_kernel`, `alpha`…). */
export function namedWeight(layer: tf.layers.Layer, name: string): tf.Tensor {
  const v = layer.weights.find((w) => w.originalName.split('/').pop() === name);
  if (!v) throw new QatkitError('INVALID_GRAPH', `layer "${layer.name}" has no weight "${name}" (it has ${layer.weights.map((w) => w.originalName).join(', ') || 'none'})`);
  return v.read();
}

/** Kernel (in the QAT layer's layout) and bias (undefined when the op has none) of a weighted node. */
export function sourceKernel(node: PlanNode, layerAt: LayerAt): { kernel: tf.Tensor; bias: tf.Tensor | undefined } {
  const from = node.weightsFrom;
  if (!from) {
    const [kernel, bias] = layerAt(node.layers[0]!).getWeights();
    return { kernel: kernel!, bias: node.config['useBias'] === false ? undefined : bias };
  }
  const layer = layerAt(from.layer);
  const k = namedWeight(layer, from.kernel);
  return { kernel: from.kernelShape ? tf.reshape(k, [...from.kernelShape]) : k, bias: from.bias ? namedWeight(layer, from.bias) : undefined };
}

/** The weights a QAT weighted layer is initialized with: kernel, bias?, then a folded BatchNorm's. */
export function qatInitWeights(node: PlanNode, layerAt: LayerAt): tf.Tensor[] {
  const { kernel, bias } = sourceKernel(node, layerAt);
  const bn = node.batchNorm ? layerAt(node.batchNorm.layer).getWeights() : [];
  return [kernel, ...(bias ? [bias] : []), ...bn];
}

/** A node's constant operand as float values, from the source layers (BatchNorm factors in float64). */
export function sourceConstant(node: PlanNode, layerAt: LayerAt): { data: Float32Array; shape: number[] } {
  const c = node.constant;
  if (!c) throw new QatkitError('INVALID_GRAPH', `plan node "${node.name}" has no constant`);
  switch (c.kind) {
    case 'values':
      return { data: Float32Array.from(c.values), shape: [...c.shape] };
    case 'weight': {
      const w = namedWeight(layerAt(c.layer), c.weight);
      return { data: Float32Array.from(w.dataSync()), shape: [...w.shape] };
    }
    default: {
      const fold = c.batchNorm;
      const ws = layerAt(fold.layer).getWeights().map((t) => t.dataSync());
      let i = 0;
      const gamma = fold.scale ? ws[i++]! : undefined;
      const beta = fold.center ? ws[i++]! : undefined;
      const mean = ws[i++]!;
      const variance = ws[i++]!;
      const factor = Array.from(mean, (_, ch) => (gamma ? gamma[ch]! : 1) / Math.sqrt(variance[ch]! + fold.epsilon));
      const data = c.kind === 'batch-norm-scale' ? Float32Array.from(factor) : Float32Array.from(mean, (m, ch) => (beta ? beta[ch]! : 0) - m * factor[ch]!);
      return { data, shape: [mean.length] };
    }
  }
}
