import type { Graph } from '../ir/types.js';
import type { QuantizerSpec } from '../quant/range.js';
import type { FusionRule, QuantizeRegistry } from './registry.js';

/** A pure rewrite of the IR; returns a new graph and never mutates its input. */
export interface GraphTransform {
  readonly name: string;
  apply(graph: Graph): Graph;
}

/** Moving-average range tracking for activations during QAT. */
export interface RangeTracking {
  /** EMA decay; ranges start from the first batch's min/max rather than a fixed guess. */
  readonly emaDecay: number;
}

/**
 * A quantization scheme (tfmot's QuantizeScheme made data-first): which layers are quantized and
 * how (registry), which boundaries are fused away, and the rewrites applied to the IR.
 */
export interface QuantizeScheme {
  readonly name: string;
  readonly registry: QuantizeRegistry;
  readonly fusions: readonly FusionRule[];
  /** How the model input is quantized (range: running min/max over all training batches). */
  readonly input: QuantizerSpec;
  readonly ranges: RangeTracking;
  readonly transforms: readonly GraphTransform[];
}
