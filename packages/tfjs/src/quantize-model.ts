import * as tf from '@tensorflow/tfjs';
import { QatkitError, type QuantizeScheme } from '@qatkit/core';
import { default8bit } from '@qatkit/scheme-8bit';
import { FakeQuant } from './layers/fake-quant.js';
import { QuantConv2D } from './layers/quant-conv2d.js';
import { QuantDense } from './layers/quant-dense.js';
import { QAT_LAYER_CLASSES, registerQatLayers } from './layers/register.js';
import { pairOf } from './layers/shapes.js';
import { planQat, type PlanStep } from './plan.js';

export interface QuantizeModelOptions {
  /** Defaults to default8bit() from @qatkit/scheme-8bit. */
  readonly scheme?: QuantizeScheme;
  /**
   * Fix the model input's real range instead of tracking it, e.g. [0, 1] for images scaled by
   * 1/255: then a uint8-I/O export takes raw pixels exactly.
   */
  readonly inputRange?: readonly [number, number];
}

/** Rebuilds a stateless layer (pooling, reshape, …) from its config, keeping its name. */
function cloneLayer(layer: tf.layers.Layer): tf.layers.Layer {
  const { batchInputShape: _b, inputShape: _i, ...config } = layer.getConfig() as Record<string, unknown>;
  const Ctor = layer.constructor as new (args: unknown) => tf.layers.Layer;
  return new Ctor(config);
}

function buildStep(step: PlanStep, scheme: QuantizeScheme): { layer: tf.layers.Layer; weightsFrom?: tf.layers.Layer } {
  switch (step.kind) {
    case 'input':
      return {
        layer: new FakeQuant({
          name: 'input_quant',
          quantizer: step.quantizer,
          ...(step.range ? { mode: 'fixed', fixedRange: [...step.range] as [number, number] } : { mode: 'all-values' }),
        }),
      };
    case 'output-quant':
      return {
        layer:
          step.rule.kind === 'fixed'
            ? new FakeQuant({ name: step.name, mode: 'fixed', quantizer: step.rule.quantizer, fixedScale: step.rule.scale, fixedZeroPoint: step.rule.zeroPoint })
            : new FakeQuant({ name: step.name, mode: 'ema', quantizer: step.rule.kind === 'learned' ? step.rule.quantizer : scheme.input, emaDecay: scheme.ranges.emaDecay }),
      };
    case 'softmax':
      return { layer: tf.layers.softmax({ name: step.name, axis: -1 }) };
    case 'copy':
      return { layer: cloneLayer(step.layer) };
    case 'weighted': {
      const config = step.layer.getConfig() as Record<string, unknown>;
      const kernel = step.spec.weights['kernel'];
      if (!kernel) throw new QatkitError('UNSUPPORTED_LAYER', `the registry rule for "${step.layer.name}" quantizes no "kernel" weight`);
      const common = {
        name: `quant_${step.layer.name}`,
        useBias: config['useBias'] !== false,
        activation: step.activation,
        weightQuantizer: kernel.quantizer,
        perAxis: kernel.perAxis,
        sourceName: step.layer.name,
      };
      if (step.spec.op === 'Conv2D') {
        if (config['padding'] !== 'same' && config['padding'] !== 'valid') {
          throw new QatkitError('UNSUPPORTED_LAYER', `layer "${step.layer.name}" (class Conv2D) uses padding "${String(config['padding'])}"; only same and valid map to TFLite`);
        }
        return {
          layer: new QuantConv2D({
            ...common,
            filters: config['filters'] as number,
            kernelSize: pairOf(config['kernelSize']),
            strides: pairOf(config['strides']),
            dilationRate: pairOf(config['dilationRate']),
            padding: config['padding'],
          }),
          weightsFrom: step.layer,
        };
      }
      return { layer: new QuantDense({ ...common, units: config['units'] as number }), weightsFrom: step.layer };
    }
  }
}

/**
 * Wraps a trained (or fresh) tfjs model for quantization-aware training: weights are
 * fake-quantized every step, activations get learned ranges, and the result is an ordinary
 * trainable LayersModel to compile and fit. The input model is left untouched.
 */
export function quantizeModel(model: tf.LayersModel, options: QuantizeModelOptions = {}): tf.LayersModel {
  registerQatLayers();
  const qatLayer = model.layers.find((l) => QAT_LAYER_CLASSES.some((cls) => l.getClassName() === cls.className));
  if (qatLayer) {
    throw new QatkitError(
      'ALREADY_QUANTIZED',
      `model "${model.name}" is already quantized (its layer "${qatLayer.name}" is a ${qatLayer.getClassName()}): train it with fit(), or convert it with toGraph(); quantizeModel() takes the float model`,
    );
  }
  const scheme = options.scheme ?? default8bit();
  const range = options.inputRange;
  if (range && !(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
    throw new QatkitError('INVALID_RANGE', `inputRange must be two finite numbers [min, max] with min < max, got [${range.join(', ')}]`);
  }
  const steps = planQat(model, scheme, range ? [range[0], range[1]] : undefined);
  const input = tf.input({ batchShape: model.inputs[0]!.shape, name: `${model.name}_input`, dtype: 'float32' });
  let x: tf.SymbolicTensor = input;
  for (const step of steps) {
    const { layer, weightsFrom } = buildStep(step, scheme);
    if (layer instanceof QuantDense && x.shape.length !== 2) {
      throw new QatkitError('UNSUPPORTED_LAYER', `layer "${weightsFrom?.name}" (class Dense) gets rank-${x.shape.length} input; add a Flatten before it (TFLite FULLY_CONNECTED here takes [batch, features])`);
    }
    x = layer.apply(x) as tf.SymbolicTensor;
    if (weightsFrom) layer.setWeights(weightsFrom.getWeights());
  }
  return tf.model({ inputs: input, outputs: x, name: `quant_${model.name}` });
}

/**
 * Sets activation ranges from data without training (post-training calibration, or a start for
 * QAT): runs the batches through the model, updating only the fake-quant ranges.
 */
export function calibrate(qatModel: tf.LayersModel, batches: Iterable<tf.Tensor>): void {
  const layers = qatModel.layers.filter((l) => l.getClassName() !== 'InputLayer');
  for (const batch of batches) {
    tf.tidy(() => {
      let x: tf.Tensor = batch;
      for (const layer of layers) x = layer.apply(x, { training: layer instanceof FakeQuant }) as tf.Tensor;
    });
  }
}
