import * as tf from '@tensorflow/tfjs';
import { QatkitError } from '@qatkit/core';
import type { LayerGraph } from '../graph/walk.js';
import type { PlanNode } from '../plan/types.js';
import { sourceConstant, sourceKernel, type LayerAt } from '../qat/source-weights.js';
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
    constant: (node) => sourceConstant(node, (path) => byPath.get(path)!),
  };
}

/** A float node's weights from its layers (found by path), channels last, BatchNorm folded. */
export function floatWeights(node: PlanNode, layerAt: LayerAt): { kernel: Float32Array; shape: number[]; bias: Float32Array } {
  // The arrays leave tidy through `read`, not its return value: tidy walks every element of a
  // returned typed array looking for tensors (seconds for MobileNetV2's 3.5 M weights).
  let read: { data: Float32Array; shape: number[]; biasData: Float32Array | undefined } | undefined;
  tf.tidy(() => {
    const { kernel: k, bias: b } = sourceKernel(node, layerAt);
    // Output channels last, as the QAT layers see their kernels (see QuantWeighted.channelsLast).
    const t = node.op === 'DepthwiseConv2D' ? tf.reshape(k, [k.shape[0]!, k.shape[1]!, 1, k.shape[2]! * k.shape[3]!]) : node.op === 'TransposeConv2D' ? tf.transpose(k, [0, 1, 3, 2]) : k;
    read = { data: Float32Array.from(t.dataSync()), shape: [...t.shape], biasData: b ? Float32Array.from(b.dataSync()) : undefined };
  });
  const { data: kernel0, shape, biasData } = read!;
  let kernel = kernel0;
  const channels = shape.at(-1)!;
  let bias = biasData ?? new Float32Array(channels);
  if (node.batchNorm) {
    const bn = layerAt(node.batchNorm.layer);
    const ws = bn.getWeights().map((t) => t.dataSync() as Float32Array);
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
