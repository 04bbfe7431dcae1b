import type { Graph, Op, Tensor } from '@qatkit/core';
import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { BuiltinOptions } from '../generated/tflite/builtin-options.js';
import { ConcatenationOptions } from '../generated/tflite/concatenation-options.js';
import { PadOptions } from '../generated/tflite/pad-options.js';
import { ReducerOptions } from '../generated/tflite/reducer-options.js';
import { ReshapeOptions } from '../generated/tflite/reshape-options.js';
import { ResizeBilinearOptions } from '../generated/tflite/resize-bilinear-options.js';
import { ResizeNearestNeighborOptions } from '../generated/tflite/resize-nearest-neighbor-options.js';
import { SliceOptions } from '../generated/tflite/slice-options.js';
import { TransposeOptions } from '../generated/tflite/transpose-options.js';
import {
  ACTIVATION,
  act,
  inputShape,
  int32Constant,
  int8Version,
  isInt8,
  normalizeAxis,
  outputShape,
  type OpRule,
  type OpSignature,
} from './op-rule.js';

/** Ops that move, select or reduce values, and the QUANTIZE / DEQUANTIZE edges. */

type LayoutKind =
  | 'Reshape' | 'Concatenation' | 'Mean' | 'ReduceMax' | 'Pad' | 'Slice'
  | 'ResizeNearestNeighbor' | 'ResizeBilinear' | 'Transpose' | 'Quantize' | 'Dequantize';

const rank = (sig: OpSignature) => sig.inputs[0]!.shape.length;

function reducer<K extends 'Mean' | 'ReduceMax'>(builtin: BuiltinOperator, output?: 'same-as-inputs'): OpRule<K> {
  return {
    builtin,
    inputs: [act],
    outputs: [act],
    ...(output ? { output } : {}),
    version: int8Version(2),
    options: (b, op) => ({ type: BuiltinOptions.ReducerOptions, offset: ReducerOptions.createReducerOptions(b, op.attrs.keepDims) }),
    extraInputs: (op, graph) => {
      const r = inputShape(op, graph).length;
      return [int32Constant(`${op.name}/axes`, op.attrs.axes.map((a) => normalizeAxis(a, r)))];
    },
  };
}

/** The output's static size is the new [height, width]. */
const resizeSize = (op: Op, graph: Graph): Tensor[] => {
  const out = outputShape(op, graph);
  return [int32Constant(`${op.name}/size`, [out[1]!, out[2]!])];
};

export const LAYOUT_OPS: { readonly [K in LayoutKind]: OpRule<K> } = {
  Reshape: {
    builtin: BuiltinOperator.RESHAPE,
    inputs: [act],
    outputs: [act],
    output: 'same-as-inputs',
    version: () => 1,
    // The output's static shape, not attrs.shape, which may hold a -1.
    options: (b, op, graph) => ({
      type: BuiltinOptions.ReshapeOptions,
      offset: ReshapeOptions.createReshapeOptions(b, ReshapeOptions.createNewShapeVector(b, [...outputShape(op, graph)])),
    }),
    extraInputs: (op, graph) => [int32Constant(`${op.name}/shape`, outputShape(op, graph))],
  },
  Concatenation: {
    builtin: BuiltinOperator.CONCATENATION,
    inputs: [act],
    variadic: true,
    outputs: [act],
    output: 'same-as-inputs',
    version: int8Version(2),
    options: (b, op, graph) => ({
      type: BuiltinOptions.ConcatenationOptions,
      offset: ConcatenationOptions.createConcatenationOptions(b, normalizeAxis(op.attrs.axis, outputShape(op, graph).length), ACTIVATION[op.attrs.activation]),
    }),
  },
  // MEAN requantizes (its output is free); REDUCE_MAX compares raw integers.
  Mean: reducer(BuiltinOperator.MEAN),
  ReduceMax: reducer(BuiltinOperator.REDUCE_MAX, 'same-as-inputs'),
  Pad: {
    builtin: BuiltinOperator.PAD,
    inputs: [act],
    outputs: [act],
    output: 'same-as-inputs',
    version: (sig) => (rank(sig) > 4 ? 4 : isInt8(sig) ? 2 : 1),
    options: (b) => ({ type: BuiltinOptions.PadOptions, offset: PadOptions.createPadOptions(b) }),
    extraInputs: (op) => [int32Constant(`${op.name}/paddings`, op.attrs.paddings.flat(), [op.attrs.paddings.length, 2])],
  },
  Slice: {
    builtin: BuiltinOperator.SLICE,
    inputs: [act],
    outputs: [act],
    output: 'same-as-inputs',
    version: (sig) => (rank(sig) > 4 ? 5 : isInt8(sig) ? 2 : 1),
    options: (b) => ({ type: BuiltinOptions.SliceOptions, offset: SliceOptions.createSliceOptions(b) }),
    // The output's shape is the resolved size (a -1 in attrs.size means "to the end").
    extraInputs: (op, graph) => [int32Constant(`${op.name}/begin`, op.attrs.begin), int32Constant(`${op.name}/size`, outputShape(op, graph))],
  },
  ResizeNearestNeighbor: {
    builtin: BuiltinOperator.RESIZE_NEAREST_NEIGHBOR,
    inputs: [act],
    outputs: [act],
    output: 'same-as-inputs',
    version: (sig, { attrs: a }) => (a.halfPixelCenters || a.alignCorners ? 3 : isInt8(sig) ? 2 : 1),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.ResizeNearestNeighborOptions,
      offset: ResizeNearestNeighborOptions.createResizeNearestNeighborOptions(b, a.alignCorners, a.halfPixelCenters),
    }),
    extraInputs: resizeSize,
  },
  ResizeBilinear: {
    builtin: BuiltinOperator.RESIZE_BILINEAR,
    inputs: [act],
    outputs: [act],
    output: 'same-as-inputs',
    version: (sig, { attrs: a }) => (a.halfPixelCenters ? 3 : isInt8(sig) ? 2 : 1),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.ResizeBilinearOptions,
      offset: ResizeBilinearOptions.createResizeBilinearOptions(b, a.alignCorners, a.halfPixelCenters),
    }),
    extraInputs: resizeSize,
  },
  Transpose: {
    builtin: BuiltinOperator.TRANSPOSE,
    inputs: [act],
    outputs: [act],
    output: 'same-as-inputs',
    version: (sig) => (rank(sig) > 5 ? 6 : rank(sig) > 4 ? 4 : isInt8(sig) ? 2 : 1),
    options: (b) => ({ type: BuiltinOptions.TransposeOptions, offset: TransposeOptions.createTransposeOptions(b) }),
    extraInputs: (op) => [int32Constant(`${op.name}/perm`, op.attrs.perm)],
  },
  Quantize: { builtin: BuiltinOperator.QUANTIZE, inputs: [{ role: 'quantizable' }], outputs: [{ role: 'integer' }], version: () => 1 },
  Dequantize: { builtin: BuiltinOperator.DEQUANTIZE, inputs: [{ role: 'integer' }], outputs: [{ role: 'real' }], version: int8Version(2) },
};
