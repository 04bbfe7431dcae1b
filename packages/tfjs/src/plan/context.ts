import { QatkitError, type FusedActivation, type FusionRule, type OutputRule, type QuantizeScheme, type QuantizeSpec } from '@qatkit/core';
import type { GraphNode } from '../graph/walk.js';
import type { PlanNode, PlanQuant } from './types.js';

/**
 * What the planning steps share while walking the graph: the scheme lookup, fusion decisions,
 * aliases (a value read under another id), and the nodes made so far. Kept apart from
 * make-plan.ts so each lowering (plan-weighted.ts, lower-layers.ts) can be read on its own.
 */
export interface PlanContext {
  readonly scheme: QuantizeScheme;
  lookup(node: GraphNode): QuantizeSpec;
  /** The only reader of `node`'s value, when it may be fused into it. */
  soleReader(node: GraphNode): GraphNode | undefined;
  /** The fusion rule that lets `next` run inside `producer` (a ReLU after a conv), if any. */
  fusionFor(producer: GraphNode, ownActivation: string, next: GraphNode | undefined, nextSpec: QuantizeSpec | undefined): FusionRule | undefined;
  /** The static shape of a graph value (batch dimension null). */
  shapeOf(id: string): readonly (number | null)[];
  /** The plan value a graph value is read as. */
  resolve(id: string): string;
  alias(id: string, to: string): void;
  /** Marks a graph node as consumed by an earlier one (fused). */
  fuse(node: GraphNode): void;
  push(...nodes: PlanNode[]): void;
}

export const WEIGHTED_OPS: ReadonlySet<string> = new Set(['Conv2D', 'DepthwiseConv2D', 'TransposeConv2D', 'FullyConnected']);
/** Same-scale ops whose outputs leave the input's grid (averages), so they are re-rounded onto it. */
const REGRID = new Set(['AveragePool2D', 'ResizeBilinear']);
export const FUSED_AS: Readonly<Record<string, FusedActivation>> = { Relu: 'relu', Relu6: 'relu6' };

export function fail(message: string): never {
  throw new QatkitError('UNSUPPORTED_LAYER', message);
}

export function quantOf(rule: OutputRule, op: string): PlanQuant {
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
