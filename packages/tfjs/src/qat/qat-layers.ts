import * as tf from '@tensorflow/tfjs';
import { QatkitError } from '@qatkit/core';
import { QuantConstOp } from '../layers/quant-const.js';
import { QuantConv2D } from '../layers/quant-conv2d.js';
import { QuantConv2DTranspose } from '../layers/quant-conv2d-transpose.js';
import { QuantDense } from '../layers/quant-dense.js';
import { QuantDepthwiseConv2D } from '../layers/quant-depthwise.js';
import type { QuantWeighted, QuantWeightedArgs } from '../layers/quant-weighted.js';
import { pairOf } from '../layers/shapes.js';
import { quantLayerName, safeName, type PlanNode } from '../plan/types.js';

/** The fake-quantizing layer of a weighted plan node, from the node's (op-level) config. */
export function weightedLayer(node: PlanNode): QuantWeighted<QuantWeightedArgs> {
  const c = node.config;
  if (c['padding'] !== undefined && c['padding'] !== 'same' && c['padding'] !== 'valid') {
    throw new QatkitError('UNSUPPORTED_LAYER', `layer "${node.name}" (class ${node.className}) uses padding "${String(c['padding'])}"; only same and valid map to TFLite`);
  }
  const common: QuantWeightedArgs = {
    name: quantLayerName(node.name),
    useBias: c['useBias'] !== false,
    activation: node.activation === 'none' ? 'linear' : node.activation,
    weightQuantizer: node.weights!.quantizer,
    perAxis: node.weights!.perAxis,
    ...(node.batchNorm ? { batchNorm: { epsilon: node.batchNorm.epsilon, momentum: node.batchNorm.momentum, center: node.batchNorm.center, scale: node.batchNorm.scale } } : {}),
  };
  const window = { kernelSize: pairOf(c['kernelSize']), strides: pairOf(c['strides'] ?? 1), dilationRate: pairOf(c['dilationRate'] ?? 1), padding: c['padding'] as 'same' | 'valid' };
  switch (node.op) {
    case 'Conv2D':
      return new QuantConv2D({ ...common, ...window, filters: c['filters'] as number });
    case 'DepthwiseConv2D':
      return new QuantDepthwiseConv2D({ ...common, ...window, depthMultiplier: (c['depthMultiplier'] as number | undefined) ?? 1 });
    case 'TransposeConv2D': {
      if (window.dilationRate.some((d) => d !== 1)) throw new QatkitError('UNSUPPORTED_LAYER', `layer "${node.name}" (class ${node.className}) is dilated; TFLite TRANSPOSE_CONV has no dilation`);
      const { dilationRate: _d, ...rest } = window;
      return new QuantConv2DTranspose({ ...common, ...rest, filters: c['filters'] as number });
    }
    default:
      return new QuantDense({ ...common, units: c['units'] as number });
  }
}

/** The QAT layer of a constant-operand node (MUL/ADD/PRELU). */
export function constLayer(node: PlanNode, shape: readonly number[]): QuantConstOp {
  const c = node.constant!;
  const op = node.op === 'Mul' ? 'mul' : node.op === 'Add' ? 'add' : node.op === 'Prelu' ? 'prelu' : undefined;
  if (!op) throw new QatkitError('UNSUPPORTED_OP', `plan node "${node.name}" has a constant operand but op ${node.op}; only Mul, Add and Prelu take one`);
  return new QuantConstOp({ name: quantLayerName(node.name), op, shape: [...shape], ...(c.quantizer ? { quantizer: c.quantizer } : {}), trainable: c.trainable });
}

/**
 * A stateless layer for a node lowered from another layer (a conv's own sigmoid, the Reshape
 * around a Conv1D, the Add of an Average…), from its class and config in the plan.
 */
export function loweredLayer(node: PlanNode): tf.layers.Layer {
  const name = safeName(node.name);
  const c = node.config;
  switch (node.className) {
    case 'Softmax':
      return tf.layers.softmax({ axis: -1, name });
    case 'Activation':
      return tf.layers.activation({ activation: c['activation'] as 'sigmoid', name });
    case 'Multiply':
      return tf.layers.multiply({ name });
    case 'Add':
      return tf.layers.add({ name });
    case 'Reshape':
      return tf.layers.reshape({ targetShape: [...(c['targetShape'] as number[])], name });
    case 'Concatenate':
      return tf.layers.concatenate({ axis: c['axis'] as number, name });
    default:
      throw new QatkitError('UNSUPPORTED_OP', `plan node "${node.name}" is lowered to class ${node.className}, which the QAT builder cannot make`);
  }
}

/** Rebuilds a stateless layer (pooling, reshape, add, …) from its config under `name`. */
export function cloneLayer(layer: tf.layers.Layer, name: string): tf.layers.Layer {
  const { batchInputShape: _b, inputShape: _i, ...config } = layer.getConfig() as Record<string, unknown>;
  const Ctor = layer.constructor as new (args: unknown) => tf.layers.Layer;
  return new Ctor({ ...config, name });
}
