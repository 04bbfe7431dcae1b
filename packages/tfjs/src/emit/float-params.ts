import type * as tf from '@tensorflow/tfjs';
import { QatkitError } from '@qatkit/core';
import type { LayerGraph } from '../graph/walk.js';
import type { PlanNode } from '../plan/types.js';
import type { ParamSource } from './params.js';

/**
 * Float weights straight from the float model's layers, BatchNorm folded in float64 then stored
 * as float32: w·γ/√(σ²+ε) and β + (b − μ)·γ/√(σ²+ε), per output channel.
 */
export function floatParams(graph: LayerGraph): ParamSource {
  const byPath = new Map(graph.nodes.map((n) => [n.path, n.layer]));
  return {
    float: true,
    quant() {
      throw new QatkitError('INVALID_GRAPH', 'a float export has no quantization parameters');
    },
    weights: (node) => floatWeights(node, (path) => byPath.get(path)!),
  };
}

/** A float node's weights from its layers (found by path), BatchNorm folded. */
export function floatWeights(node: PlanNode, layerAt: (path: string) => tf.layers.Layer): { kernel: Float32Array; shape: number[]; bias: Float32Array } {
  const data = (t: tf.Tensor) => t.dataSync() as Float32Array;
  const layer = layerAt(node.layers[0]!);
  const [k, b] = layer.getWeights();
  let kernel = Float32Array.from(data(k!));
  let shape = [...k!.shape];
  if (node.op === 'DepthwiseConv2D') shape = [shape[0]!, shape[1]!, 1, shape[2]! * shape[3]!];
  const channels = shape.at(-1)!;
  let bias = b ? Float32Array.from(data(b)) : new Float32Array(channels);
  if (node.batchNorm) {
    const bn = layerAt(node.batchNorm.layer);
    const ws = bn.getWeights().map(data);
    let i = 0;
    const gamma = node.batchNorm.scale ? ws[i++]! : undefined;
    const beta = node.batchNorm.center ? ws[i++]! : undefined;
    const mean = ws[i++]!;
    const variance = ws[i++]!;
    const factor = Array.from({ length: channels }, (_, c) => (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + node.batchNorm!.epsilon));
    kernel = kernel.map((v, j) => v * factor[j % channels]!);
    bias = bias.map((v, c) => (v - mean[c]!) * factor[c]! + (beta ? beta[c]! : 0));
  }
  return { kernel, shape, bias };
}
