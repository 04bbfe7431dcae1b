import * as tf from '@tensorflow/tfjs';
import { QatkitError, quantizationFor, type IoType, type QuantizeScheme, type TargetProfile } from '@qatkit/core';
import { default8bit } from '@qatkit/scheme-8bit';
import { walkModel } from './graph/walk.js';
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
  /**
   * Deployment targets (e.g. `imx8mp()` from @qatkit/target-imx8mp) whose requirements steer the
   * quantization: per-tensor weights where a target wants them, batch 1, 8-bit activations. The
   * model I/O type they need is kept with the QAT model: `exportOptionsOf(qat)`.
   */
  readonly targets?: readonly Pick<TargetProfile, 'name' | 'requirements'>[];
}

/**
 * Wraps a trained (or fresh) tfjs model for quantization-aware training: weights are
 * fake-quantized every step (BatchNorm folded into the conv before them), activations get learned
 * ranges, and the result is an ordinary trainable LayersModel to compile and fit. It follows the
 * model's layer graph (branches, several inputs and outputs, shared and nested layers) and carries
 * its plan in its metadata for toGraph. The input model is left untouched.
 */
export function quantizeModel(model: tf.LayersModel, options: QuantizeModelOptions = {}): tf.LayersModel {
  const { scheme, range, exportOptions } = checkQuantizeArgs(model, options, 'quantizeModel');
  const graph = walkModel(model);
  const plan = makePlan(graph, { scheme, ...(range ? { inputRange: range } : {}) });
  return buildQatModel(exportOptions ? { ...plan, export: exportOptions } : plan, graph, scheme);
}

/** What quantizeModel and quantizeApply check before planning: a float model and a sane input range. */
export function checkQuantizeArgs(
  model: tf.LayersModel,
  options: QuantizeModelOptions,
  caller: string,
): { scheme: QuantizeScheme; range?: readonly [number, number]; exportOptions?: { readonly io: IoType } } {
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
  const targets = options.targets ?? [];
  const plan = targets.length > 0 ? quantizationFor(targets) : undefined;
  const scheme = options.scheme ?? default8bit(plan ? { perAxis: plan.scheme.perAxis } : {});
  if (plan) checkTargets(model, scheme, plan, targets.map((t) => t.name));
  return { scheme, ...(range ? { range: [range[0], range[1]] as const } : {}), ...(plan ? { exportOptions: plan.export } : {}) };
}

/** What the targets need that the model or a given scheme cannot give: refused, naming the target's reason. */
function checkTargets(model: tf.LayersModel, scheme: QuantizeScheme, plan: ReturnType<typeof quantizationFor>, names: readonly string[]): void {
  const why = plan.because.length > 0 ? ` (${plan.because.join('; ')})` : '';
  if (!plan.activationBits.includes(8)) throw new QatkitError('INVALID_OPTION', `targets ${names.join(', ')} take no 8-bit activations${why}`);
  const conv = scheme.registry.lookup({ className: 'Conv2D', name: 'conv', config: { dataFormat: 'channelsLast', activation: 'linear' } });
  if (!plan.scheme.perAxis && conv?.weights['kernel']?.perAxis) {
    throw new QatkitError('INVALID_OPTION', `the ${scheme.name} scheme quantizes conv weights per channel, but targets ${names.join(', ')} want per-tensor weights${why}; pass default8bit({ perAxis: false }) or leave the scheme out`);
  }
  const batch = model.inputs[0]?.shape[0];
  if (plan.batch !== undefined && batch != null && batch > plan.batch) {
    throw new QatkitError('INVALID_OPTION', `model "${model.name}" has a fixed batch of ${batch}, but targets ${names.join(', ')} run batch ${plan.batch}${why}`);
  }
}

export { calibrate } from './calibrate/calibrate.js';
