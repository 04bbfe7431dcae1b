import * as tf from '@tensorflow/tfjs';
import { QatkitError, type OutputRule, type QuantizeScheme, type QuantizeSpec, type QuantizerSpec } from '@qatkit/core';
import { unsupportedLayerMessage } from '@qatkit/registry';
import { chainLayers, describeLayer } from './describe.js';
import type { QatActivation } from './layers/quant-conv2d.js';

/** One step of the QAT model, in order. */
export type PlanStep =
  | { kind: 'input'; quantizer: QuantizerSpec; range?: [number, number] }
  | { kind: 'weighted'; layer: tf.layers.Layer; spec: QuantizeSpec; activation: QatActivation }
  | { kind: 'copy'; layer: tf.layers.Layer; spec: QuantizeSpec }
  /** A softmax split off a layer's own activation. */
  | { kind: 'softmax'; name: string }
  | { kind: 'output-quant'; name: string; rule: OutputRule };

const FUSED_AS: Record<string, QatActivation> = { Relu: 'relu', Relu6: 'relu6' };

function unsupported(layer: tf.layers.Layer, scheme: QuantizeScheme): never {
  throw new QatkitError('UNSUPPORTED_LAYER', unsupportedLayerMessage(describeLayer(layer), scheme.registry, scheme.name));
}

function lookup(layer: tf.layers.Layer, scheme: QuantizeScheme): QuantizeSpec {
  return scheme.registry.lookup(describeLayer(layer)) ?? unsupported(layer, scheme);
}

/** Output fake-quant after a layer, unless the rule says the range is inherited or vanishes. */
function outputStep(name: string, rule: OutputRule): PlanStep[] {
  return rule.kind === 'learned' || rule.kind === 'fixed' ? [{ kind: 'output-quant', name: `${name}_act_quant`, rule }] : [];
}

/**
 * Decides where fake-quant goes (tfmot's annotate + layout transforms, as data-driven steps):
 * every layer is looked up in the scheme's registry; producer+ReLU pairs named by the scheme's
 * fusion rules become one fused op with a single quantizer after it.
 */
export function planQat(model: tf.LayersModel, scheme: QuantizeScheme, inputRange?: [number, number]): PlanStep[] {
  const layers = chainLayers(model);
  const steps: PlanStep[] = [{ kind: 'input', quantizer: scheme.input, ...(inputRange ? { range: inputRange } : {}) }];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const spec = lookup(layer, scheme);
    const weightNames = Object.keys(spec.weights);
    if (weightNames.length === 0) {
      steps.push({ kind: 'copy', layer, spec }, ...outputStep(layer.name, spec.output));
      continue;
    }
    if (spec.op !== 'Conv2D' && spec.op !== 'FullyConnected') {
      throw new QatkitError('UNSUPPORTED_LAYER', `layer "${layer.name}" (class ${layer.getClassName()}) maps to ${spec.op}, which the tfjs bridge cannot fake-quantize yet`);
    }
    const ownActivation = String(describeLayer(layer).config['activation'] ?? 'linear');
    const rule = spec.activations?.[ownActivation];
    if (!rule) {
      throw new QatkitError(
        'UNSUPPORTED_LAYER',
        `layer "${layer.name}" (class ${layer.getClassName()}) uses activation "${ownActivation}", which the ${scheme.name} scheme cannot quantize (supported: ${Object.keys(spec.activations ?? {}).join(', ') || 'none'})`,
      );
    }
    const next = layers[i + 1];
    const fusion = next && rule.kind === 'fused' && rule.as === 'none' ? scheme.fusions.find((f) => f.producers.includes(layer.getClassName()) && f.activations.includes(next.getClassName()) && f.whenProducerActivation.includes(ownActivation)) : undefined;
    if (next && fusion) {
      const nextSpec = lookup(next, scheme);
      const as = FUSED_AS[nextSpec.op];
      if (!as) throw new QatkitError('UNSUPPORTED_LAYER', `fusion rule joins "${layer.name}" with "${next.name}", but ${nextSpec.op} is not a fusable activation`);
      steps.push({ kind: 'weighted', layer, spec, activation: as }, ...outputStep(next.name, nextSpec.output));
      i++;
      continue;
    }
    if (rule.kind === 'fused') {
      steps.push({ kind: 'weighted', layer, spec, activation: rule.as === 'none' ? 'linear' : rule.as }, ...outputStep(layer.name, spec.output));
      continue;
    }
    // Separate activation (softmax): learned pre-activation range, then the activation op's own rule.
    const actName = `${layer.name}_${rule.layer.toLowerCase()}`;
    const actSpec = scheme.registry.lookup({ className: rule.layer, name: actName, config: { axis: -1 } });
    if (!actSpec || actSpec.op !== 'Softmax') unsupported(layer, scheme);
    steps.push({ kind: 'weighted', layer, spec, activation: 'linear' }, ...outputStep(layer.name, spec.output));
    steps.push({ kind: 'softmax', name: actName }, ...outputStep(actName, actSpec.output));
  }
  return steps;
}
