import type { FusedActivation, OpKind, QuantizerSpec } from '@qatkit/core';

/**
 * The quantization plan: plain data (JSON), made once from the float model's layer graph and
 * read by everything after it — the QAT model is built from it and carries it in its metadata,
 * toGraph emits the IR from it, a test can read it without running tfjs. Values are named by
 * the ids of the walk (graph/walk.ts); layers by their paths.
 */

/** How a value's quantization parameters are decided. */
export type PlanQuant =
  /** A model input: running min/max over the data, or a range fixed by the user. */
  | { readonly kind: 'input'; readonly quantizer: QuantizerSpec; readonly range?: readonly [number, number] }
  /** A moving-average range learned in training (fake-quant layer `${value}_act_quant`). */
  | { readonly kind: 'learned'; readonly quantizer: QuantizerSpec }
  /** Fixed by the integer kernels (softmax, logistic, tanh). */
  | { readonly kind: 'fixed'; readonly quantizer: QuantizerSpec; readonly scale: number; readonly zeroPoint: number }
  /** The same parameters as the op's first input (same-scale ops: pooling, reshape, pad, …). */
  | { readonly kind: 'same-as-input'; readonly requantize: boolean }
  /** Left in float (outside what the user annotated). */
  | { readonly kind: 'float' };

export type PlanOp = OpKind | 'Identity';

export interface BatchNormFold {
  /** Path of the folded BatchNormalization layer. */
  readonly layer: string;
  readonly epsilon: number;
  readonly momentum: number;
  readonly center: boolean;
  readonly scale: boolean;
}

export interface PlanWeights {
  readonly quantizer: QuantizerSpec;
  readonly perAxis: boolean;
}

export interface PlanNode {
  /** The value this node produces (the last fused layer's output). */
  readonly id: string;
  /** IR op name and base of the QAT layer names: the first layer's path. */
  readonly name: string;
  /** Source layer paths fused into this node, in order (conv, BN, ReLU). */
  readonly layers: readonly string[];
  /** The first layer's class and serialized config. */
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly op: PlanOp;
  readonly inputs: readonly string[];
  /** Output shape with the batch dimension as null. */
  readonly shape: readonly (number | null)[];
  /** Activation run inside the op (conv/dense/add + ReLU fusion). */
  readonly activation: FusedActivation;
  readonly batchNorm?: BatchNormFold;
  readonly weights?: PlanWeights;
  /** Which application of a shared layer this node is (0 for the first). */
  readonly application: number;
  readonly output: PlanQuant;
}

export interface PlanInput {
  readonly id: string;
  readonly shape: readonly (number | null)[];
  readonly output: PlanQuant;
}

export interface Plan {
  readonly version: 1;
  readonly name: string;
  readonly scheme: string;
  readonly inputs: readonly PlanInput[];
  readonly nodes: readonly PlanNode[];
  readonly outputs: readonly string[];
}

/** Fake-quant layer names: one per quantized value. */
export const fakeQuantName = (value: string) => `${safeName(value)}_act_quant`;
export const inputQuantName = (input: string) => `${safeName(input)}_quant`;
/** The QAT layer replacing a weighted node's layers. */
export const quantLayerName = (name: string) => `quant_${safeName(name)}`;

/** tfjs layer names: nested-model paths use `/`, which tfjs reserves for weight scopes. */
export function safeName(path: string): string {
  return path.replace(/\//g, '__');
}
