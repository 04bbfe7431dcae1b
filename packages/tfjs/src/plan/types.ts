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
  /**
   * Quantized with the parameters of `value`, the output of the same-scale op (Concatenation) that
   * alone reads it: the producer requantizes straight onto that grid, no fake-quant of its own
   * (tfmot's ConcatTransform) — no QUANTIZE op between, whose rounding runtimes do differently.
   */
  | { readonly kind: 'shared'; readonly value: string }
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

/**
 * Where a weighted node's kernel and bias come from when it is not simply the first two weights
 * of its first layer: one tfjs layer lowered to several ops (SeparableConv2D's depthwise and
 * pointwise kernels), or a kernel reshaped for the op (Conv1D's [k, in, out] as [1, k, in, out]).
 */
export interface WeightsFrom {
  /** Source layer path. */
  readonly layer: string;
  /** Weight names in that layer, as tfjs names them (`depthwise_kernel`, `pointwise_kernel`, `bias`). */
  readonly kernel: string;
  readonly bias?: string;
  /** The kernel's shape in the QAT layer's layout, when the source stores it in another. */
  readonly kernelShape?: readonly number[];
}

/**
 * The constant second operand of an elementwise op (int8 per tensor in the export, fake-quantized
 * the same way in QAT): literal values, a standalone BatchNormalization's per-channel factor
 * γ/√(σ²+ε) or offset β − μ·γ/√(σ²+ε), or a layer weight (PReLU's alpha).
 */
export type PlanConstant =
  | { readonly kind: 'values'; readonly values: readonly number[]; readonly shape: readonly number[] }
  | { readonly kind: 'batch-norm-scale' | 'batch-norm-offset'; readonly batchNorm: BatchNormFold }
  | { readonly kind: 'weight'; readonly layer: string; readonly weight: string };

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
  /** Set when the node's weights are not its first layer's first two (see WeightsFrom). */
  readonly weightsFrom?: WeightsFrom;
  /** A constant operand, read after `inputs` (Mul/Add/Prelu lowered from BatchNorm, Average, PReLU…). */
  readonly constant?: PlanConstant & { readonly quantizer?: QuantizerSpec; readonly trainable: boolean };
  /**
   * One of several ops a layer is lowered to (or an activation split off a conv): the QAT model
   * builds it from `className` and `config` instead of cloning the source layer.
   */
  readonly lowered?: boolean;
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
  /** Export options the deployment targets need (quantizeModel's `targets`), e.g. { io: 'int8' }. */
  readonly export?: { readonly io: 'float32' | 'int8' | 'uint8' };
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
