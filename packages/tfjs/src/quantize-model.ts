import * as tf from '@tensorflow/tfjs';
import { QatkitError, type QuantizeScheme } from '@qatkit/core';
import { default8bit } from '@qatkit/scheme-8bit';
import { walkModel } from './graph/walk.js';
import { FakeQuant } from './layers/fake-quant.js';
import { QAT_LAYER_CLASSES, registerQatLayers } from './layers/register.js';
import { makePlan } from './plan/make-plan.js';
import { buildQatModel } from './qat/build-qat.js';

export interface QuantizeModelOptions {
  /** Defaults to default8bit() from @qatkit/scheme-8bit. */
  readonly scheme?: QuantizeScheme;
  /**
   * Fix the model inputs' real range instead of tracking it, e.g. [0, 1] for images scaled by
   * 1/255: then a uint8-I/O export takes raw pixels exactly.
   */
  readonly inputRange?: readonly [number, number];
}

/**
 * Wraps a trained (or fresh) tfjs model for quantization-aware training: weights are
 * fake-quantized every step (BatchNorm folded into the conv before them), activations get learned
 * ranges, and the result is an ordinary trainable LayersModel to compile and fit. It follows the
 * model's layer graph (branches, several inputs and outputs, shared and nested layers) and carries
 * its plan in its metadata for toGraph. The input model is left untouched.
 */
export function quantizeModel(model: tf.LayersModel, options: QuantizeModelOptions = {}): tf.LayersModel {
  const { scheme, range } = checkQuantizeArgs(model, options, 'quantizeModel');
  const graph = walkModel(model);
  const plan = makePlan(graph, { scheme, ...(range ? { inputRange: range } : {}) });
  return buildQatModel(plan, graph, scheme);
}

/** What quantizeModel and quantizeApply check before planning: a float model and a sane input range. */
export function checkQuantizeArgs(model: tf.LayersModel, options: QuantizeModelOptions, caller: string): { scheme: QuantizeScheme; range?: readonly [number, number] } {
  registerQatLayers();
  const qatLayer = model.layers.find((l) => QAT_LAYER_CLASSES.some((cls) => l.getClassName() === cls.className));
  if (qatLayer) {
    throw new QatkitError(
      'ALREADY_QUANTIZED',
      `model "${model.name}" is already quantized (its layer "${qatLayer.name}" is a ${qatLayer.getClassName()}): train it with fit(), or convert it with toGraph(); ${caller}() takes the float model`,
    );
  }
  const range = options.inputRange;
  if (range && !(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
    throw new QatkitError('INVALID_RANGE', `inputRange must be two finite numbers [min, max] with min < max, got [${range.join(', ')}]`);
  }
  return { scheme: options.scheme ?? default8bit(), ...(range ? { range: [range[0], range[1]] as const } : {}) };
}

/**
 * Sets activation ranges from data without training (post-training calibration, a start for QAT,
 * or a refresh after the last training step): runs the batches through the model in inference
 * mode while its fake-quant layers update their ranges. Weights and BatchNorm statistics stay.
 */
export function calibrate(qatModel: tf.LayersModel, batches: Iterable<tf.Tensor | tf.Tensor[]>): void {
  const fqs = qatModel.layers.filter((l): l is FakeQuant => l instanceof FakeQuant);
  if (fqs.length === 0) throw new QatkitError('INVALID_GRAPH', `model "${qatModel.name}" has no fake-quant layers; calibrate the model returned by quantizeModel()`);
  for (const fq of fqs) fq.calibrating = true;
  try {
    for (const batch of batches) tf.dispose(qatModel.predict(batch));
  } finally {
    for (const fq of fqs) fq.calibrating = false;
  }
}
