import * as tf from '@tensorflow/tfjs';
import { QatkitError, type QuantizeScheme } from '@qatkit/core';
import type { LayerGraph } from '../graph/walk.js';
import { FakeQuant } from '../layers/fake-quant.js';
import { QuantConv2D } from '../layers/quant-conv2d.js';
import { QuantDense } from '../layers/quant-dense.js';
import { QuantDepthwiseConv2D } from '../layers/quant-depthwise.js';
import type { QuantWeighted, QuantWeightedArgs } from '../layers/quant-weighted.js';
import { pairOf } from '../layers/shapes.js';
import { fakeQuantName, inputQuantName, quantLayerName, safeName, type Plan, type PlanNode, type PlanQuant } from '../plan/types.js';

/** Metadata key under which a QAT model carries its plan (saved in model.json by tf.io). */
export const PLAN_KEY = 'qatkit';

/** Rebuilds a stateless layer (pooling, reshape, add, …) from its config under `name`. */
function cloneLayer(layer: tf.layers.Layer, name: string): tf.layers.Layer {
  const { batchInputShape: _b, inputShape: _i, ...config } = layer.getConfig() as Record<string, unknown>;
  const Ctor = layer.constructor as new (args: unknown) => tf.layers.Layer;
  return new Ctor({ ...config, name });
}

function fakeQuantFor(quant: PlanQuant, name: string, scheme: QuantizeScheme): FakeQuant | undefined {
  switch (quant.kind) {
    case 'input':
      return new FakeQuant({ name, quantizer: quant.quantizer, ...(quant.range ? { mode: 'fixed', fixedRange: [quant.range[0], quant.range[1]] } : { mode: 'all-values' }) });
    case 'learned':
      return new FakeQuant({ name, mode: 'ema', quantizer: quant.quantizer, emaDecay: scheme.ranges.emaDecay });
    case 'fixed':
      return new FakeQuant({ name, mode: 'fixed', quantizer: quant.quantizer, fixedScale: quant.scale, fixedZeroPoint: quant.zeroPoint });
    case 'same-as-input':
      return quant.requantize ? new FakeQuant({ name, mode: 'tied', quantizer: scheme.input }) : undefined;
    case 'float':
      return undefined;
  }
}

function weightedLayer(node: PlanNode): QuantWeighted<QuantWeightedArgs> {
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
    default:
      return new QuantDense({ ...common, units: c['units'] as number });
  }
}

/**
 * The QAT model of a plan: conv/dense layers (with their BatchNorm) become fake-quantizing layers
 * holding the float weights, stateless layers are rebuilt from their configs (one per source
 * layer, so shared layers stay shared), and a fake-quant follows every value the plan quantizes.
 */
export function buildQatModel(plan: Plan, graph: LayerGraph, scheme: QuantizeScheme): tf.LayersModel {
  const source = new Map(graph.nodes.map((n) => [n.path, n.layer]));
  const values = new Map<string, tf.SymbolicTensor>();
  const made = new Map<string, tf.layers.Layer[]>();
  const inputs = plan.inputs.map((i) => {
    const t = tf.input({ batchShape: [...i.shape], name: safeName(i.id), dtype: 'float32' });
    const fq = fakeQuantFor(i.output, inputQuantName(i.id), scheme);
    values.set(i.id, fq ? (fq.apply(t) as tf.SymbolicTensor) : t);
    return t;
  });
  for (const node of plan.nodes) {
    const ins = node.inputs.map((id) => values.get(id)!);
    if (node.layers.length === 0) {
      // A boundary of a float region: QUANTIZE is a fake-quant, DEQUANTIZE passes the value on.
      const fq = fakeQuantFor(node.output, fakeQuantName(node.id), scheme);
      values.set(node.id, fq ? (fq.apply(ins[0]!) as tf.SymbolicTensor) : ins[0]!);
      continue;
    }
    let layers = made.get(node.name);
    const fresh = !layers;
    if (!layers) {
      if (node.weights) layers = [weightedLayer(node)];
      else if (node.className !== source.get(node.layers[0]!)?.getClassName()) {
        // An activation split off a conv/dense (its own softmax/sigmoid/tanh).
        layers = [node.op === 'Softmax' ? tf.layers.softmax({ axis: -1, name: safeName(node.name) }) : tf.layers.activation({ activation: node.config['activation'] as 'sigmoid', name: safeName(node.name) })];
      } else layers = node.layers.map((path) => cloneLayer(source.get(path)!, safeName(path)));
      made.set(node.name, layers);
    }
    let y: tf.SymbolicTensor | tf.SymbolicTensor[] = ins.length === 1 ? ins[0]! : ins;
    for (const layer of layers) y = layer.apply(y) as tf.SymbolicTensor;
    if (fresh && node.weights) layers[0]!.setWeights(node.layers.flatMap((path) => (source.get(path)!.getClassName() === 'BatchNormalization' || path === node.layers[0] ? source.get(path)!.getWeights() : [])));
    else if (fresh && layers.length === node.layers.length) layers.forEach((l, k) => l.weights.length > 0 && l.setWeights(source.get(node.layers[k]!)!.getWeights()));
    const fq = fakeQuantFor(node.output, fakeQuantName(node.id), scheme);
    values.set(node.id, fq ? (fq.apply(y) as tf.SymbolicTensor) : (y as tf.SymbolicTensor));
  }
  const model = tf.model({ inputs, outputs: plan.outputs.map((id) => values.get(id)!), name: `quant_${safeName(plan.name)}` });
  model.setUserDefinedMetadata({ [PLAN_KEY]: plan });
  return model;
}

/** The plan a QAT model was built from, or undefined for any other model. */
export function planOf(model: tf.LayersModel): Plan | undefined {
  const meta = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  const plan = meta?.[PLAN_KEY] as Plan | undefined;
  return plan && plan.version === 1 ? plan : undefined;
}
