import type { FusedActivation, QuantizeScheme, QuantizeSpec } from '@qatkit/core';
import { unsupportedLayerMessage } from '@qatkit/registry';
import { describeLayer } from '../describe.js';
import { pairOf } from '../layers/shapes.js';
import { consumers, type GraphNode, type LayerGraph } from '../graph/walk.js';
import { withFloatRegions } from './float-regions.js';
import { shareSameScaleInputs } from './share-scales.js';
import { fail, FUSED_AS, quantOf, WEIGHTED_OPS, type PlanContext } from './context.js';
import { lowerActivation } from './lower-activation.js';
import { LOWERINGS } from './lower-layers.js';
import { plainView, planWeighted } from './plan-weighted.js';
import type { Plan, PlanNode } from './types.js';

export interface MakePlanOptions {
  readonly scheme: QuantizeScheme;
  /** A fixed real range for every model input (e.g. [0, 1] for scaled images). */
  readonly inputRange?: readonly [number, number];
  /**
   * Quantize only the layers this says yes to (quantizeApply's annotations); the rest stay float,
   * with QUANTIZE/DEQUANTIZE where the two meet. Default: every layer.
   */
  readonly quantized?: (node: GraphNode) => boolean;
  /** A rule for one layer given with its annotation, before the scheme's registry. */
  readonly ruleFor?: (node: GraphNode) => QuantizeSpec | undefined;
}

/**
 * Decides, from the float model's layer graph, which layers become which IR ops, which fuse
 * (conv + BatchNorm + ReLU → one op), and where fake-quant goes (tfmot's annotate + layout
 * transforms, as data). Every layer is looked up in the scheme's registry; a layer no row covers
 * stops here with its name, class and how to add a row.
 */
export function makePlan(graph: LayerGraph, options: MakePlanOptions): Plan {
  const { scheme } = options;
  const readers = consumers(graph);
  const outputs = new Set(graph.outputs);
  const alias = new Map<string, string>();
  const fused = new Set<GraphNode>();
  const nodes: PlanNode[] = [];
  const shapes = new Map<string, readonly (number | null)[]>([...graph.inputs, ...graph.nodes].map((v) => [v.id, v.shape]));
  const ctx: PlanContext = {
    scheme,
    lookup(node) {
      const own = options.ruleFor?.(node);
      if (own) return own;
      const desc = describeLayer(node.layer, node.path);
      return scheme.registry.lookup(desc) ?? fail(unsupportedLayerMessage(desc, scheme.registry, scheme.name));
    },
    soleReader(node) {
      const r = readers.get(node.id) ?? [];
      return r.length === 1 && !outputs.has(node.id) && r[0]!.inputs.length === 1 ? r[0] : undefined;
    },
    fusionFor: (producer, ownActivation, next, nextSpec) =>
      next && nextSpec
        ? scheme.fusions.find((f) => f.producers.includes(producer.layer.getClassName()) && f.activations.includes(next.layer.getClassName()) && f.whenProducerActivation.includes(ownActivation) && FUSED_AS[nextSpec.op] !== undefined)
        : undefined,
    shapeOf: (id) => shapes.get(id) ?? fail(`value "${id}" has no known shape`),
    resolve: (id) => alias.get(id) ?? id,
    alias: (id, to) => alias.set(id, to),
    fuse: (node) => fused.add(node),
    push: (...made) => nodes.push(...made),
  };
  const byPath = new Map(graph.nodes.map((n) => [n.path, n]));

  for (const node of graph.nodes) {
    if (fused.has(node)) continue;
    const spec = ctx.lookup(node);
    const desc = describeLayer(node.layer, node.path);
    const inputs = node.inputs.map(ctx.resolve);
    const base = { name: node.path, className: desc.className, config: desc.config, inputs, application: node.application };
    if (spec.op === 'Identity') {
      alias.set(node.id, inputs[0]!);
      continue;
    }
    if (spec.op === 'Input') fail(`layer "${node.path}" (class ${desc.className}) is an input layer inside the model graph; qatkit expects inputs only at the model's edge`);
    const lowering = LOWERINGS[desc.className];
    if (lowering) {
      lowering(ctx, node, spec, desc);
      continue;
    }
    if (spec.op === 'BatchNorm') fail(`layer "${node.path}" (class ${desc.className}) maps to BatchNorm, which only folds into a conv/dense layer before it or lowers from a BatchNormalization layer`);
    if (desc.className === 'DepthwiseConv2D' && pairOf(desc.config['dilationRate'] ?? 1).some((d) => d !== 1)) {
      // tfjs-layers 4.22's DepthwiseConv2D passes no dilation to the op (call and output shape): predict runs it undilated.
      fail(`layer "${node.path}" (class DepthwiseConv2D) has dilationRate ${JSON.stringify(desc.config['dilationRate'])}, which tfjs's DepthwiseConv2D ignores (it computes an undilated convolution); qatkit will not deploy a model that differs from predict — use SeparableConv2D or Conv2D for dilation, or dilationRate 1`);
    }
    if (WEIGHTED_OPS.has(spec.op)) {
      const { nodes: made, last } = planWeighted(ctx, node, spec, plainView(node, spec, desc.className, desc.config));
      nodes.push(...made);
      if (made.at(-1)!.id !== last.id) alias.set(last.id, made.at(-1)!.id);
      continue;
    }
    if (desc.className === 'Activation') {
      nodes.push(...lowerActivation(ctx, { id: node.id, name: node.path, className: desc.className, config: desc.config, input: inputs[0]!, shape: node.shape, application: node.application, layers: [node.path] }, spec));
      continue;
    }
    let last = node;
    let activation: FusedActivation = 'none';
    const next = ctx.soleReader(node);
    const nextSpec = next ? ctx.lookup(next) : undefined;
    if (ctx.fusionFor(node, 'linear', next, nextSpec)) {
      activation = FUSED_AS[nextSpec!.op]!;
      fused.add(next!);
      last = next!;
    }
    nodes.push({ ...base, id: last.id, layers: last === node ? [node.path] : [node.path, last.path], op: spec.op, shape: last.shape, activation, output: quantOf((last === node ? spec : nextSpec!).output, spec.op) });
  }
  const inputs = graph.inputs.map((i) => ({ id: i.id, shape: i.shape, output: { kind: 'input' as const, quantizer: scheme.input, ...(options.inputRange ? { range: options.inputRange } : {}) } }));
  const plan: Plan = { version: 1, name: graph.name, scheme: scheme.name, inputs, nodes, outputs: graph.outputs.map(ctx.resolve) };
  const quantized = options.quantized;
  return shareSameScaleInputs(quantized ? withFloatRegions(plan, (node) => quantized(byPath.get(node.layers[0]!)!), scheme.input) : plan);
}
