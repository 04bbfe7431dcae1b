import * as tf from '@tensorflow/tfjs';
import type { QuantizeScheme } from '@qatkit/core';
import { SAME_SCALE_INPUTS } from '../emit/emit-ops.js';
import type { LayerGraph } from '../graph/walk.js';
import { FakeQuant } from '../layers/fake-quant.js';
import { QuantAdd } from '../layers/quant-add.js';
import { fakeQuantName, inputQuantName, safeName, type Plan, type PlanNode, type PlanQuant } from '../plan/types.js';
import { cloneLayer, constLayer, loweredLayer, weightedLayer } from './qat-layers.js';
import { qatInitWeights, sourceConstant } from './source-weights.js';

/** Metadata key under which a QAT model carries its plan (saved in model.json by tf.io). */
export const PLAN_KEY = 'qatkit';

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
    case 'shared':
      return undefined;
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
  const layerAt = (path: string) => source.get(path)!;
  const inputs = plan.inputs.map((i) => {
    const t = tf.input({ batchShape: [...i.shape], name: safeName(i.id), dtype: 'float32' });
    const fq = fakeQuantFor(i.output, inputQuantName(i.id), scheme);
    values.set(i.id, fq ? (fq.apply(t) as tf.SymbolicTensor) : t);
    return t;
  });
  const groups = floatGroups(plan);
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const shapeOf = (id: string) => byId.get(id)?.shape ?? plan.inputs.find((i) => i.id === id)?.shape;
  for (const node of plan.nodes) {
    if (node.layers.length === 0) {
      // A boundary of a float region: QUANTIZE is a fake-quant, DEQUANTIZE passes the value on.
      const fq = fakeQuantFor(node.output, fakeQuantName(node.id), scheme);
      values.set(node.id, fq ? (fq.apply(values.get(node.inputs[0]!)!) as tf.SymbolicTensor) : values.get(node.inputs[0]!)!);
      continue;
    }
    if (node.output.kind === 'float') {
      // Left float: the source layers themselves (cloned once), however many ops they lower to.
      const group = groups.get(groupKey(node))!;
      if (group.last !== node) continue;
      let layers = made.get(group.layers[0]!);
      if (!layers) {
        layers = group.layers.map((path) => cloneLayer(source.get(path)!, safeName(path)));
        made.set(group.layers[0]!, layers);
      }
      const ins = group.inputs.map((id) => values.get(id)!);
      let y: tf.SymbolicTensor | tf.SymbolicTensor[] = ins.length === 1 ? ins[0]! : ins;
      for (const layer of layers) y = layer.apply(y) as tf.SymbolicTensor;
      layers.forEach((l, k) => l.weights.length > 0 && l.setWeights(source.get(group.layers[k]!)!.getWeights()));
      values.set(node.id, y as tf.SymbolicTensor);
      continue;
    }
    const ins = node.inputs.map((id) => values.get(id)!);
    let layers = made.get(node.name);
    const fresh = !layers;
    const constant = node.constant ? sourceConstant(node, layerAt) : undefined;
    if (!layers) {
      if (node.weights) layers = [weightedLayer(node)];
      else if (constant) layers = [constLayer(node, constant.shape)];
      else if (node.lowered) layers = [loweredLayer(node)];
      else layers = node.layers.map((path, k) => (k === 0 && plainAdd(node, shapeOf) ? new QuantAdd({ name: safeName(path) }) : cloneLayer(source.get(path)!, safeName(path))));
      made.set(node.name, layers);
    }
    if (SAME_SCALE_INPUTS.has(node.op) && node.output.kind === 'learned') {
      // Inputs not already on the output's grid reach it through a QUANTIZE op in the export: simulate it.
      node.inputs.forEach((id, k) => {
        const q = byId.get(id)?.output;
        if (q?.kind === 'shared' && q.value === node.id) return;
        ins[k] = new FakeQuant({ name: `${safeName(id)}_requant_${k}_for_${safeName(node.name)}`, mode: 'requant', quantizer: scheme.input }).apply(ins[k]!) as tf.SymbolicTensor;
      });
    }
    let y: tf.SymbolicTensor | tf.SymbolicTensor[] = ins.length === 1 ? ins[0]! : ins;
    for (const layer of layers) y = layer.apply(y) as tf.SymbolicTensor;
    if (fresh && node.weights) layers[0]!.setWeights(qatInitWeights(node, layerAt));
    else if (fresh && constant) layers[0]!.setWeights([tf.tensor(constant.data, constant.shape)]);
    else if (fresh && !node.lowered) layers.forEach((l, k) => l.weights.length > 0 && l.setWeights(source.get(node.layers[k]!)!.getWeights()));
    const fq = fakeQuantFor(node.output, fakeQuantName(node.id), scheme);
    values.set(node.id, fq ? (fq.apply(y) as tf.SymbolicTensor) : (y as tf.SymbolicTensor));
  }
  const model = tf.model({ inputs, outputs: plan.outputs.map((id) => values.get(id)!), name: `quant_${safeName(plan.name)}` });
  model.setUserDefinedMetadata({ [PLAN_KEY]: plan });
  return model;
}

/** Export options its targets need (`quantizeModel(model, { targets })`), or {} when none were given. */
export function exportOptionsOf(model: tf.LayersModel): { readonly io?: 'float32' | 'int8' | 'uint8' } {
  return planOf(model)?.export ?? {};
}

/** The plan a QAT model was built from, or undefined for any other model. */
export function planOf(model: tf.LayersModel): Plan | undefined {
  const meta = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  const plan = meta?.[PLAN_KEY] as Plan | undefined;
  return plan && plan.version === 1 ? plan : undefined;
}

/**
 * A quantized Add of two same-shape values: the QAT model gives it a QuantAdd, which at inference
 * adds as XNNPACK's int8 kernel does (broadcasting adds keep tfjs's Add and the float path).
 */
function plainAdd(node: PlanNode, shapeOf: (id: string) => readonly (number | null)[] | undefined): boolean {
  const same = (s: readonly (number | null)[] | undefined) => !!s && JSON.stringify(s) === JSON.stringify(node.shape);
  return node.op === 'Add' && node.className === 'Add' && !node.constant && node.output.kind === 'learned' && node.inputs.length === 2 && node.inputs.every((id) => same(shapeOf(id)));
}

const groupKey = (node: PlanNode) => `${node.layers[0]!}#${node.application}`;

interface FloatGroup {
  /** The group's last node: where the cloned layers run. */
  last: PlanNode;
  /** Source layers of the group's nodes, in order, once each. */
  layers: string[];
  /** Values the group reads from outside it, in order. */
  inputs: string[];
}

/** Float nodes grouped by the layer application they come from (a lowered layer is several nodes). */
function floatGroups(plan: Plan): Map<string, FloatGroup> {
  const groups = new Map<string, FloatGroup & { made: Set<string> }>();
  for (const node of plan.nodes) {
    if (node.output.kind !== 'float' || node.layers.length === 0) continue;
    const g = groups.get(groupKey(node)) ?? { last: node, layers: [], inputs: [], made: new Set<string>() };
    for (const path of node.layers) if (!g.layers.includes(path)) g.layers.push(path);
    for (const id of node.inputs) if (!g.made.has(id) && !g.inputs.includes(id)) g.inputs.push(id);
    g.made.add(node.id);
    g.last = node;
    groups.set(groupKey(node), g);
  }
  return groups;
}
