import type { DType, FusedActivation, Graph, Op, OpKind, Padding as IrPadding, Tensor } from '@qatkit/core';
import type { Builder, Offset } from 'flatbuffers';
import { ActivationFunctionType } from '../generated/tflite/activation-function-type.js';
import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { BuiltinOptions } from '../generated/tflite/builtin-options.js';
import { Conv2DOptions } from '../generated/tflite/conv2-doptions.js';
import { DepthwiseConv2DOptions } from '../generated/tflite/depthwise-conv2-doptions.js';
import { FullyConnectedOptions } from '../generated/tflite/fully-connected-options.js';
import { FullyConnectedOptionsWeightsFormat } from '../generated/tflite/fully-connected-options-weights-format.js';
import { Padding } from '../generated/tflite/padding.js';
import { Pool2DOptions } from '../generated/tflite/pool2-doptions.js';
import { ReshapeOptions } from '../generated/tflite/reshape-options.js';
import { SoftmaxOptions } from '../generated/tflite/softmax-options.js';
import { TensorType } from '../generated/tflite/tensor-type.js';

/**
 * What a tensor in an operator slot must be. `checkSupport` enforces these, so the writer can
 * assume them.
 * - activation: int8, per-tensor quantized, computed at run time;
 * - weights: int8 constant, symmetric, per tensor or per axis `axis`;
 * - bias: int32 constant (optional slot);
 * - real: float32;
 * - integer: int8 or uint8, per-tensor quantized (QUANTIZE/DEQUANTIZE ends);
 * - quantizable: real or integer (QUANTIZE accepts both).
 */
export type Slot =
  | { readonly role: 'activation' }
  | { readonly role: 'weights'; readonly axis: number }
  | { readonly role: 'bias' }
  | { readonly role: 'real' }
  | { readonly role: 'integer' }
  | { readonly role: 'quantizable' };

/** Dtypes of an op's tensors, for op versioning (as the converter's op_version.cc does it). */
export interface OpSignature {
  readonly inputs: readonly DType[];
  readonly outputs: readonly DType[];
}

export interface BuiltOptions {
  readonly type: BuiltinOptions;
  readonly offset: Offset;
}

export interface OpRule<K extends OpKind> {
  readonly builtin: BuiltinOperator;
  readonly inputs: readonly Slot[];
  readonly outputs: readonly Slot[];
  /** TFLite kernels reject (or silently misread) other output parameters. */
  readonly output?: 'same-as-input' | { readonly scale: number; readonly zeroPoint: number };
  version(sig: OpSignature): number;
  options?(builder: Builder, op: Op<K>, graph: Graph): BuiltOptions;
  /** Constant inputs TFLite needs beyond the IR's (Reshape's shape tensor). */
  extraInputs?(op: Op<K>, graph: Graph): Tensor[];
}

export type OpTable = { readonly [K in OpKind]: OpRule<K> };

const ACTIVATION: Readonly<Record<FusedActivation, ActivationFunctionType>> = {
  none: ActivationFunctionType.NONE,
  relu: ActivationFunctionType.RELU,
  relu6: ActivationFunctionType.RELU6,
};
const PADDING: Readonly<Record<IrPadding, Padding>> = { same: Padding.SAME, valid: Padding.VALID };

const act: Slot = { role: 'activation' };
const bias: Slot = { role: 'bias' };
/** int8 kernels get their own version numbers; anything else stays at version 1. */
const int8Version = (v: number) => (sig: OpSignature) => (sig.inputs[0] === 'int8' ? v : 1);

function pool(builtin: BuiltinOperator): OpRule<'MaxPool2D' | 'AveragePool2D'> {
  return {
    builtin,
    inputs: [act],
    outputs: [act],
    output: 'same-as-input',
    version: int8Version(2),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.Pool2DOptions,
      offset: Pool2DOptions.createPool2DOptions(b, PADDING[a.padding], a.strides[1], a.strides[0], a.poolSize[1], a.poolSize[0], ACTIVATION[a.activation]),
    }),
  };
}

/** IR kind → TFLite operator. Attribute pairs are [height, width]; TFLite wants w, h. */
export const OP_TABLE: OpTable = {
  Conv2D: {
    builtin: BuiltinOperator.CONV_2D,
    inputs: [act, { role: 'weights', axis: 0 }, bias],
    outputs: [act],
    version: int8Version(3),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.Conv2DOptions,
      offset: Conv2DOptions.createConv2DOptions(
        b, PADDING[a.padding], a.strides[1], a.strides[0], ACTIVATION[a.activation], a.dilations[1], a.dilations[0], TensorType.FLOAT32,
      ),
    }),
  },
  DepthwiseConv2D: {
    builtin: BuiltinOperator.DEPTHWISE_CONV_2D,
    inputs: [act, { role: 'weights', axis: 3 }, bias],
    outputs: [act],
    version: int8Version(3),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.DepthwiseConv2DOptions,
      offset: DepthwiseConv2DOptions.createDepthwiseConv2DOptions(
        b, PADDING[a.padding], a.strides[1], a.strides[0], a.depthMultiplier, ACTIVATION[a.activation], a.dilations[1], a.dilations[0],
      ),
    }),
  },
  FullyConnected: {
    builtin: BuiltinOperator.FULLY_CONNECTED,
    inputs: [act, { role: 'weights', axis: 0 }, bias],
    outputs: [act],
    // op_version.cc: a missing bias is version 6, int8 is version 4.
    version: (sig) => (sig.inputs.length === 2 ? 6 : sig.inputs[0] === 'int8' ? 4 : 1),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.FullyConnectedOptions,
      offset: FullyConnectedOptions.createFullyConnectedOptions(
        b, ACTIVATION[a.activation], FullyConnectedOptionsWeightsFormat.DEFAULT, false, false, TensorType.FLOAT32,
      ),
    }),
  },
  MaxPool2D: pool(BuiltinOperator.MAX_POOL_2D),
  AveragePool2D: pool(BuiltinOperator.AVERAGE_POOL_2D),
  Reshape: {
    builtin: BuiltinOperator.RESHAPE,
    inputs: [act],
    outputs: [act],
    output: 'same-as-input',
    version: () => 1,
    // The output's static shape, not attrs.shape, which may hold a -1.
    options: (b, op, graph) => ({
      type: BuiltinOptions.ReshapeOptions,
      offset: ReshapeOptions.createReshapeOptions(b, ReshapeOptions.createNewShapeVector(b, [...graph.tensors[op.outputs[0]!]!.shape])),
    }),
    extraInputs: (op, graph) => {
      const shape = graph.tensors[op.outputs[0]!]!.shape;
      return [{ name: `${op.name}/shape`, shape: [shape.length], dtype: 'int32', data: Int32Array.from(shape) }];
    },
  },
  Softmax: {
    builtin: BuiltinOperator.SOFTMAX,
    inputs: [act],
    outputs: [act],
    output: { scale: 1 / 256, zeroPoint: -128 },
    version: int8Version(2),
    options: (b, op) => ({ type: BuiltinOptions.SoftmaxOptions, offset: SoftmaxOptions.createSoftmaxOptions(b, op.attrs.beta) }),
  },
  Relu: { builtin: BuiltinOperator.RELU, inputs: [act], outputs: [act], version: int8Version(2) },
  Relu6: { builtin: BuiltinOperator.RELU6, inputs: [act], outputs: [act], version: int8Version(2) },
  Quantize: { builtin: BuiltinOperator.QUANTIZE, inputs: [{ role: 'quantizable' }], outputs: [{ role: 'integer' }], version: () => 1 },
  Dequantize: {
    builtin: BuiltinOperator.DEQUANTIZE,
    inputs: [{ role: 'integer' }],
    outputs: [{ role: 'real' }],
    version: int8Version(2),
  },
};

/** The rule for an op kind, or undefined for kinds this exporter does not know (e.g. from a newer core). */
export function ruleFor(kind: string): OpRule<OpKind> | undefined {
  return Object.hasOwn(OP_TABLE, kind) ? (OP_TABLE[kind as OpKind] as OpRule<OpKind>) : undefined;
}
