import type { DType, FusedActivation, Graph, Op, OpKind, Padding as IrPadding, Tensor } from '@qatkit/core';
import type { Builder, Offset } from 'flatbuffers';
import { ActivationFunctionType } from '../generated/tflite/activation-function-type.js';
import type { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import type { BuiltinOptions } from '../generated/tflite/builtin-options.js';
import { Padding } from '../generated/tflite/padding.js';

/**
 * What a tensor in an operator slot must be. `checkSupport` enforces these, so the writer can
 * assume them. Every op comes in two forms, chosen by the dtype of its input 0: the int8 form
 * (quantized tensors) or the float form (plain float32 tensors, no quantization). An op never
 * mixes them; only QUANTIZE / DEQUANTIZE cross between the two.
 * - activation: computed at run time; int8 per-tensor quantized, or float32;
 * - operand: like activation, but may also be a constant (Add's folded-BatchNorm term, PReLU's alpha);
 * - weights: constant; int8 symmetric per tensor or per axis `axis`, or float32;
 * - bias: constant, optional slot; int32 with scale input × weight scale, or float32;
 * - real: float32 (DEQUANTIZE's output);
 * - integer: int8 or uint8, per-tensor quantized (QUANTIZE/DEQUANTIZE ends);
 * - quantizable: real or integer (QUANTIZE accepts both).
 */
export type Slot =
  | { readonly role: 'activation' }
  | { readonly role: 'operand' }
  | { readonly role: 'weights'; readonly axis: number }
  | { readonly role: 'bias' }
  | { readonly role: 'real' }
  | { readonly role: 'integer' }
  | { readonly role: 'quantizable' };

export interface TensorSig {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** The per-tensor scale of a quantized tensor. */
  readonly scale?: number;
}

/** An operator's tensors in TFLite order (extra constant inputs included), for op versioning. */
export interface OpSignature {
  readonly inputs: readonly TensorSig[];
  readonly outputs: readonly TensorSig[];
}

export interface BuiltOptions {
  readonly type: BuiltinOptions;
  readonly offset: Offset;
}

/**
 * Output parameters the int8 kernels need: 'same-as-inputs' for ops that copy or compare raw
 * integers (every activation/operand input and the output share scale and zero point), or a fixed
 * pair for ops whose kernels use a fixed output grid.
 */
export type OutputConstraint = 'same-as-inputs' | { readonly scale: number; readonly zeroPoint: number };

export interface OpRule<K extends OpKind> {
  readonly builtin: BuiltinOperator;
  readonly inputs: readonly Slot[];
  /** The last input slot repeats (Concatenation): at least `inputs.length` inputs. */
  readonly variadic?: boolean;
  readonly outputs: readonly Slot[];
  /** Int8 form only: TFLite kernels reject (or silently misread) other output parameters. */
  readonly output?: OutputConstraint;
  /** The operator version, as the official converter's op_version.cc computes it. */
  version(sig: OpSignature, op: Op<K>): number;
  options?(builder: Builder, op: Op<K>, graph: Graph): BuiltOptions;
  /** Constant inputs TFLite needs beyond the IR's (Reshape's shape, Pad's paddings, …). */
  extraInputs?(op: Op<K>, graph: Graph): Tensor[];
  /** TFLite's input order when it is not the IR inputs followed by the extras. */
  order?(ir: readonly string[], extra: readonly string[]): string[];
}

export const ACTIVATION: Readonly<Record<FusedActivation, ActivationFunctionType>> = {
  none: ActivationFunctionType.NONE,
  relu: ActivationFunctionType.RELU,
  relu6: ActivationFunctionType.RELU6,
};
export const PADDING: Readonly<Record<IrPadding, Padding>> = { same: Padding.SAME, valid: Padding.VALID };

export const act: Slot = { role: 'activation' };
export const operand: Slot = { role: 'operand' };
export const bias: Slot = { role: 'bias' };

export const isInt8 = (sig: OpSignature, i = 0): boolean => sig.inputs[i]?.dtype === 'int8';
/** The common op_version.cc pattern: int8 kernels have their own version, float stays at 1. */
export const int8Version = (v: number) => (sig: OpSignature) => (isInt8(sig) ? v : 1);
export const maxRank = (sig: OpSignature): number => Math.max(...sig.inputs.map((t) => t.shape.length));
/** op_version.cc's NeedBroadcastForBinaryInputs: the two inputs' shapes differ. */
export const broadcasts = (sig: OpSignature): boolean => {
  const [a, b] = sig.inputs;
  return !!a && !!b && (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]));
};

/** An int32 constant vector (or matrix) TFLite takes as an input. */
export function int32Constant(name: string, values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return { name, shape: [...shape], dtype: 'int32', data: Int32Array.from(values) };
}

export const outputShape = (op: { readonly outputs: readonly string[] }, graph: Graph): readonly number[] => graph.tensors[op.outputs[0]!]!.shape;
export const inputShape = (op: { readonly inputs: readonly string[] }, graph: Graph, i = 0): readonly number[] => graph.tensors[op.inputs[i]!]!.shape;
/** Axis in [0, rank); core's shape rules have already checked its range. */
export const normalizeAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);
