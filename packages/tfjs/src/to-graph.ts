import type * as tf from '@tensorflow/tfjs';
import { QatkitError, type Graph, type QuantizeScheme } from '@qatkit/core';
import { default8bit } from '@qatkit/scheme-8bit';
import { emitGraph } from './emit/emit-graph.js';
import { floatParams } from './emit/float-params.js';
import { qatParams } from './emit/params.js';
import { walkModel } from './graph/walk.js';
import { makePlan } from './plan/make-plan.js';
import { planOf } from './qat/build-qat.js';

export { fakeQuantParams } from './emit/params.js';

export interface ToGraphOptions {
  /** Static batch size of the exported graph (default 1). */
  readonly batchSize?: number;
  readonly name?: string;
}

export interface ToFloatGraphOptions extends ToGraphOptions {
  /** The scheme whose registry maps layers to ops (default: default8bit()). */
  readonly scheme?: QuantizeScheme;
}

function batchOf(options: ToGraphOptions): number {
  const batch = options.batchSize ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new QatkitError('INVALID_OPTION', `batchSize must be a positive integer, got ${batch}`);
  return batch;
}

/**
 * Converts a trained QAT model (from quantizeModel, or loaded from its files) into the int8 IR:
 * the plan it carries decides the ops, its layers give the learned ranges and the weights
 * (BatchNorm folded, quantized exactly as in training).
 */
export function toGraph(qatModel: tf.LayersModel, options: ToGraphOptions = {}): Graph {
  const batchSize = batchOf(options);
  const plan = planOf(qatModel);
  if (!plan) {
    throw new QatkitError(
      'INVALID_GRAPH',
      `model "${qatModel.name}" is not a QAT model (it carries no qatkit plan); pass the model returned by quantizeModel(), or use toFloatGraph() for a float export`,
    );
  }
  return emitGraph(plan, qatParams(qatModel), { batchSize, name: options.name ?? qatModel.name });
}

/**
 * The float model as a float32 IR graph (BatchNorm folded, dropout gone): exported, it is a float
 * `.tflite` that computes what tfjs `predict` does — and the baseline for what int8 buys.
 */
export function toFloatGraph(model: tf.LayersModel, options: ToFloatGraphOptions = {}): Graph {
  const batchSize = batchOf(options);
  if (planOf(model)) throw new QatkitError('INVALID_GRAPH', `model "${model.name}" is a QAT model; toFloatGraph() takes the float model (toGraph() exports the QAT one)`);
  const graph = walkModel(model);
  const plan = makePlan(graph, { scheme: options.scheme ?? default8bit() });
  return emitGraph(plan, floatParams(graph), { batchSize, name: options.name ?? model.name });
}
