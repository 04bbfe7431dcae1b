import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { BuiltinOptions } from '../generated/tflite/builtin-options.js';
import { Conv2DOptions } from '../generated/tflite/conv2-doptions.js';
import { DepthwiseConv2DOptions } from '../generated/tflite/depthwise-conv2-doptions.js';
import { FullyConnectedOptions } from '../generated/tflite/fully-connected-options.js';
import { FullyConnectedOptionsWeightsFormat } from '../generated/tflite/fully-connected-options-weights-format.js';
import { Pool2DOptions } from '../generated/tflite/pool2-doptions.js';
import { TensorType } from '../generated/tflite/tensor-type.js';
import { TransposeConvOptions } from '../generated/tflite/transpose-conv-options.js';
import { ACTIVATION, act, bias, int32Constant, int8Version, isInt8, outputShape, PADDING, type OpRule } from './op-rule.js';

/** Weighted and windowed ops. Attribute pairs are [height, width]; TFLite wants w, h. */

function pool(builtin: BuiltinOperator): OpRule<'MaxPool2D' | 'AveragePool2D'> {
  return {
    builtin,
    inputs: [act],
    outputs: [act],
    output: 'same-as-inputs',
    version: int8Version(2),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.Pool2DOptions,
      offset: Pool2DOptions.createPool2DOptions(b, PADDING[a.padding], a.strides[1], a.strides[0], a.poolSize[1], a.poolSize[0], ACTIVATION[a.activation]),
    }),
  };
}

type ConvKind = 'Conv2D' | 'DepthwiseConv2D' | 'TransposeConv2D' | 'FullyConnected' | 'MaxPool2D' | 'AveragePool2D';

export const CONV_OPS: { readonly [K in ConvKind]: OpRule<K> } = {
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
    // op_version.cc: int8 is 3; a float kernel with dilation needs 2.
    version: (sig, { attrs: a }) => (isInt8(sig) ? 3 : a.dilations[0] !== 1 || a.dilations[1] !== 1 ? 2 : 1),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.DepthwiseConv2DOptions,
      offset: DepthwiseConv2DOptions.createDepthwiseConv2DOptions(
        b, PADDING[a.padding], a.strides[1], a.strides[0], a.depthMultiplier, ACTIVATION[a.activation], a.dilations[1], a.dilations[0],
      ),
    }),
  },
  TransposeConv2D: {
    builtin: BuiltinOperator.TRANSPOSE_CONV,
    inputs: [act, { role: 'weights', axis: 0 }, bias],
    outputs: [act],
    // op_version.cc, in TFLite input order [output_shape, weights, input, bias?]: a fused
    // activation is 4, a bias 3, int8 weights 2.
    version: (sig, { attrs: a }) => (a.activation !== 'none' ? 4 : sig.inputs.length === 4 ? 3 : isInt8(sig, 1) ? 2 : 1),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.TransposeConvOptions,
      offset: TransposeConvOptions.createTransposeConvOptions(b, PADDING[a.padding], a.strides[1], a.strides[0], ACTIVATION[a.activation], TensorType.FLOAT32),
    }),
    extraInputs: (op, graph) => [int32Constant(`${op.name}/output_shape`, outputShape(op, graph))],
    order: ([input, weights, biasName], [shape]) => [shape!, weights!, input!, ...(biasName ? [biasName] : [])],
  },
  FullyConnected: {
    builtin: BuiltinOperator.FULLY_CONNECTED,
    inputs: [act, { role: 'weights', axis: 0 }, bias],
    outputs: [act],
    // op_version.cc: a missing bias is 6, keep_num_dims 5, int8 4.
    version: (sig, op) => (sig.inputs.length === 2 ? 6 : op.attrs.keepNumDims ? 5 : isInt8(sig) ? 4 : 1),
    options: (b, { attrs: a }) => ({
      type: BuiltinOptions.FullyConnectedOptions,
      offset: FullyConnectedOptions.createFullyConnectedOptions(
        b, ACTIVATION[a.activation], FullyConnectedOptionsWeightsFormat.DEFAULT, a.keepNumDims === true, false, TensorType.FLOAT32,
      ),
    }),
  },
  MaxPool2D: pool(BuiltinOperator.MAX_POOL_2D),
  AveragePool2D: pool(BuiltinOperator.AVERAGE_POOL_2D),
};
