import { QatkitError, type ActivationRule, type FusedActivation, type FusionRule, type OutputRule, type QuantizeScheme, type QuantizeSpec } from '@qatkit/core';
import { unsupportedLayerMessage } from '@qatkit/registry';
import { describeLayer } from '../describe.js';
import { consumers, type GraphNode, type LayerGraph } from '../graph/walk.js';
import { withFloatRegions } from './float-regions.js';
import type { BatchNormFold, Plan, PlanNode, PlanQuant } from './types.js';

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

const WEIGHTED = new Set(['Conv2D', 'DepthwiseConv2D', 'FullyConnected']);
/** Same-scale ops whose outputs leave the input's grid (averages), so they are re-rounded onto it. */
const REGRID = new Set(['AveragePool2D', 'ResizeBilinear']);
const FUSED_AS: Readonly<Record<string, FusedActivation>> = { Relu: 'relu', Relu6: 'relu6' };

function fail(message: string): never {
  throw new QatkitError('UNSUPPORTED_LAYER', message);
}

function quantOf(rule: OutputRule, op: string): PlanQuant {
  switch (rule.kind) {
    case 'learned':
      return { kind: 'learned', quantizer: rule.quantizer };
    case 'fixed':
      return { kind: 'fixed', quantizer: rule.quantizer, scale: rule.scale, zeroPoint: rule.zeroPoint };
    case 'same-as-input':
      return { kind: 'same-as-input', requantize: REGRID.has(op) };
    case 'identity':
      return { kind: 'same-as-input', requantize: false };
  }
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
  const resolve = (id: string) => alias.get(id) ?? id;
  const fused = new Set<GraphNode>();
  const nodes: PlanNode[] = [];

  const lookup = (node: GraphNode): QuantizeSpec => {
    const own = options.ruleFor?.(node);
    if (own) return own;
    const desc = describeLayer(node.layer, node.path);
    return scheme.registry.lookup(desc) ?? fail(unsupportedLayerMessage(desc, scheme.registry, scheme.name));
  };
  const byPath = new Map(graph.nodes.map((n) => [n.path, n]));
  /** The only reader of `node`'s value, when it may be fused into it. */
  const soleReader = (node: GraphNode): GraphNode | undefined => {
    const r = readers.get(node.id) ?? [];
    return r.length === 1 && !outputs.has(node.id) && r[0]!.inputs.length === 1 ? r[0] : undefined;
  };
  const fusionFor = (producer: GraphNode, ownActivation: string, next: GraphNode | undefined, nextSpec: QuantizeSpec | undefined): FusionRule | undefined =>
    next && nextSpec
      ? scheme.fusions.find((f) => f.producers.includes(producer.layer.getClassName()) && f.activations.includes(next.layer.getClassName()) && f.whenProducerActivation.includes(ownActivation) && FUSED_AS[nextSpec.op] !== undefined)
      : undefined;

  for (const node of graph.nodes) {
    if (fused.has(node)) continue;
    const spec = lookup(node);
    const desc = describeLayer(node.layer, node.path);
    const inputs = node.inputs.map(resolve);
    const base = { name: node.path, className: desc.className, config: desc.config, inputs, application: node.application };
    if (spec.op === 'Identity') {
      alias.set(node.id, inputs[0]!);
      continue;
    }
    if (spec.op === 'Input') fail(`layer "${node.path}" (class ${desc.className}) is an input layer inside the model graph; qatkit expects inputs only at the model's edge`);
    if (spec.op === 'BatchNorm') {
      fail(`BatchNormalization "${node.path}" does not follow a Conv2D, DepthwiseConv2D or Dense it can be folded into (on the channel axis); standalone BatchNormalization is not supported yet — put it right after a conv or dense layer`);
    }
    if (!WEIGHTED.has(spec.op)) {
      let last = node;
      let activation: FusedActivation = 'none';
      const next = soleReader(node);
      const nextSpec = next ? lookup(next) : undefined;
      if (fusionFor(node, 'linear', next, nextSpec)) {
        activation = FUSED_AS[nextSpec!.op]!;
        fused.add(next!);
        last = next!;
      }
      nodes.push({ ...base, id: last.id, layers: last === node ? [node.path] : [node.path, last.path], op: spec.op, shape: last.shape, activation, output: quantOf((last === node ? spec : nextSpec!).output, spec.op) });
      continue;
    }
    // A conv or dense layer, with what follows it folded in.
    const ownActivation = String(desc.config['activation'] ?? 'linear');
    const rule: ActivationRule | undefined = spec.activations?.[ownActivation];
    if (!rule) {
      fail(`layer "${node.path}" (class ${desc.className}) uses activation "${ownActivation}", which the ${scheme.name} scheme cannot quantize (supported: ${Object.keys(spec.activations ?? {}).join(', ') || 'none'})`);
    }
    const weightRule = Object.values(spec.weights)[0];
    if (!weightRule) fail(`the registry rule for "${node.path}" (class ${desc.className}) quantizes no weight`);
    const layers = [node.path];
    let last = node;
    let outputRule = spec.output;
    let batchNorm: BatchNormFold | undefined;
    let activation: FusedActivation = rule.kind === 'fused' ? rule.as : 'none';
    const bnNode = rule.kind === 'fused' && rule.as === 'none' ? soleReader(node) : undefined;
    const bnSpec = bnNode ? lookup(bnNode) : undefined;
    if (bnNode && bnSpec?.op === 'BatchNorm' && scheme.fusions.some((f) => f.foldBatchNorm && f.producers.includes(desc.className))) {
      batchNorm = batchNormFold(bnNode, node.shape.length);
      if (batchNorm) {
        fused.add(bnNode);
        layers.push(bnNode.path);
        last = bnNode;
        outputRule = bnSpec.output;
      }
    }
    if (activation === 'none' && rule.kind === 'fused') {
      const next = soleReader(last);
      const nextSpec = next ? lookup(next) : undefined;
      if (fusionFor(node, ownActivation, next, nextSpec)) {
        activation = FUSED_AS[nextSpec!.op]!;
        fused.add(next!);
        layers.push(next!.path);
        last = next!;
        outputRule = nextSpec!.output;
      }
    }
    const weighted: PlanNode = {
      ...base,
      id: last.id,
      layers,
      op: spec.op,
      shape: last.shape,
      activation,
      ...(batchNorm ? { batchNorm } : {}),
      weights: { quantizer: weightRule.quantizer, perAxis: weightRule.perAxis },
      output: quantOf(outputRule, spec.op),
    };
    nodes.push(weighted);
    if (rule.kind === 'separate') {
      // softmax / sigmoid / tanh as the layer's own activation: its own op after a learned range.
      const actName = `${node.path}_${(rule.config?.['activation'] as string | undefined) ?? rule.layer.toLowerCase()}`;
      alias.set(node.id, `${node.id}_${(rule.config?.['activation'] as string | undefined) ?? rule.layer.toLowerCase()}`);
      const actSpec = scheme.registry.lookup({ className: rule.layer, name: actName, config: rule.config ?? { axis: -1 } });
      if (!actSpec || WEIGHTED.has(actSpec.op) || actSpec.op === 'Identity' || actSpec.op === 'Input' || actSpec.op === 'BatchNorm') {
        fail(`layer "${node.path}" uses activation "${ownActivation}", which the ${scheme.name} scheme has no ${rule.layer} rule for`);
      }
      nodes.push({ name: actName, className: rule.layer, config: rule.config ?? { axis: -1 }, inputs: [weighted.id], application: 0, id: resolve(node.id), layers: [node.path], op: actSpec.op, shape: node.shape, activation: 'none', output: quantOf(actSpec.output, actSpec.op) });
    }
  }
  const inputs = graph.inputs.map((i) => ({ id: i.id, shape: i.shape, output: { kind: 'input' as const, quantizer: scheme.input, ...(options.inputRange ? { range: options.inputRange } : {}) } }));
  const plan: Plan = { version: 1, name: graph.name, scheme: scheme.name, inputs, nodes, outputs: graph.outputs.map(resolve) };
  const quantized = options.quantized;
  return quantized ? withFloatRegions(plan, (node) => quantized(byPath.get(node.layers[0]!)!), scheme.input) : plan;
}

/** A BatchNormalization over the last axis of a rank-`rank` value folds; any other axis does not. */
function batchNormFold(bn: GraphNode, rank: number): BatchNormFold | undefined {
  const c = bn.layer.getConfig() as Record<string, unknown>;
  const axis = Number(c['axis'] ?? -1);
  if (axis !== -1 && axis !== rank - 1) return undefined;
  return {
    layer: bn.path,
    epsilon: Number(c['epsilon'] ?? 1e-3),
    momentum: Number(c['momentum'] ?? 0.99),
    center: c['center'] !== false,
    scale: c['scale'] !== false,
  };
}

