import type { ActivationRule, FusedActivation, QuantizeSpec, WeightRule } from '@qatkit/core';
import type { GraphNode } from '../graph/walk.js';
import { fail, FUSED_AS, quantOf, WEIGHTED_OPS, type PlanContext } from './context.js';
import { lowerActivation } from './lower-activation.js';
import type { BatchNormFold, PlanNode, PlanOp, WeightsFrom } from './types.js';

/**
 * How one weighted op of a layer looks to the planner. Usually the layer itself; a lowering
 * (SeparableConv2D's pointwise half, Conv1D as a 1×k Conv2D) passes the op it becomes instead.
 */
export interface WeightedView {
  readonly op: PlanOp;
  readonly className: string;
  /** Config in the op's terms (2-D kernel sizes, strides…), `activation` included. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly weightRule: WeightRule;
  readonly weightsFrom?: WeightsFrom;
  /** The op's input value (default: the layer's, resolved). */
  readonly input?: string;
}

/** The view of a conv/dense layer that is exactly one op. */
export function plainView(node: GraphNode, spec: QuantizeSpec, className: string, config: Readonly<Record<string, unknown>>): WeightedView {
  const weightRule = Object.values(spec.weights)[0];
  if (!weightRule) fail(`the registry rule for "${node.path}" (class ${className}) quantizes no weight`);
  return { op: spec.op as PlanOp, className, config, weightRule };
}

/**
 * A conv or dense op with what follows it folded in (BatchNorm on the channel axis, then a ReLU
 * layer), or its own activation as a separate op after it (softmax, sigmoid, tanh, swish). Returns
 * the nodes in order (the last one produces the result) and the last graph node consumed.
 */
export function planWeighted(ctx: PlanContext, node: GraphNode, spec: QuantizeSpec, view: WeightedView): { nodes: PlanNode[]; last: GraphNode } {
  const { scheme } = ctx;
  const ownActivation = String(view.config['activation'] ?? 'linear');
  const rule: ActivationRule | undefined = spec.activations?.[ownActivation];
  if (!rule) {
    fail(`layer "${node.path}" (class ${node.layer.getClassName()}) uses activation "${ownActivation}", which the ${scheme.name} scheme cannot quantize (supported: ${Object.keys(spec.activations ?? {}).join(', ') || 'none'})`);
  }
  const layers = [node.path];
  let last = node;
  let outputRule = spec.output;
  let batchNorm: BatchNormFold | undefined;
  let activation: FusedActivation = rule.kind === 'fused' ? rule.as : 'none';
  const className = node.layer.getClassName();
  const bnNode = rule.kind === 'fused' && rule.as === 'none' ? ctx.soleReader(node) : undefined;
  const bnSpec = bnNode ? ctx.lookup(bnNode) : undefined;
  if (bnNode && bnSpec?.op === 'BatchNorm' && scheme.fusions.some((f) => f.foldBatchNorm && f.producers.includes(className))) {
    batchNorm = batchNormFold(bnNode, node.shape.length);
    if (batchNorm) {
      ctx.fuse(bnNode);
      layers.push(bnNode.path);
      last = bnNode;
      outputRule = bnSpec.output;
    }
  }
  if (activation === 'none' && rule.kind === 'fused') {
    const next = ctx.soleReader(last);
    const nextSpec = next ? ctx.lookup(next) : undefined;
    if (ctx.fusionFor(node, ownActivation, next, nextSpec)) {
      activation = FUSED_AS[nextSpec!.op]!;
      ctx.fuse(next!);
      layers.push(next!.path);
      last = next!;
      outputRule = nextSpec!.output;
    }
  }
  const weighted: PlanNode = {
    name: node.path,
    className: view.className,
    config: view.config,
    inputs: [view.input ?? ctx.resolve(node.inputs[0]!)],
    application: node.application,
    id: last.id,
    layers,
    op: view.op,
    shape: last.shape,
    activation,
    ...(batchNorm ? { batchNorm } : {}),
    weights: { quantizer: view.weightRule.quantizer, perAxis: view.weightRule.perAxis },
    ...(view.weightsFrom ? { weightsFrom: view.weightsFrom } : {}),
    output: quantOf(outputRule, String(view.op)),
  };
  if (rule.kind === 'fused') return { nodes: [weighted], last };
  // softmax / sigmoid / tanh / swish as the layer's own activation: its own op(s) after a learned range.
  const fn = (rule.config?.['activation'] as string | undefined) ?? rule.layer.toLowerCase();
  const actName = `${node.path}_${fn}`;
  const config = rule.config ?? { axis: -1 };
  const actSpec = scheme.registry.lookup({ className: rule.layer, name: actName, config });
  if (!actSpec || WEIGHTED_OPS.has(actSpec.op) || actSpec.op === 'Identity' || actSpec.op === 'Input' || actSpec.op === 'BatchNorm') {
    fail(`layer "${node.path}" uses activation "${ownActivation}", which the ${scheme.name} scheme has no ${rule.layer} rule for`);
  }
  const act = lowerActivation(ctx, { id: `${node.id}_${fn}`, name: actName, className: rule.layer, config, input: weighted.id, shape: node.shape, application: node.application, layers: [node.path], lowered: true }, actSpec);
  return { nodes: [weighted, ...act], last };
}

/** A BatchNormalization over the last axis of a rank-`rank` value folds; any other axis does not. */
export function batchNormFold(bn: GraphNode, rank: number): BatchNormFold | undefined {
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
