import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { BuiltinOptions } from '../generated/tflite/builtin-options.js';
import { AddOptions } from '../generated/tflite/add-options.js';
import { LeakyReluOptions } from '../generated/tflite/leaky-relu-options.js';
import { MaximumMinimumOptions } from '../generated/tflite/maximum-minimum-options.js';
import { MulOptions } from '../generated/tflite/mul-options.js';
import { SoftmaxOptions } from '../generated/tflite/softmax-options.js';
import { SubOptions } from '../generated/tflite/sub-options.js';
import { ACTIVATION, act, broadcasts, int8Version, isInt8, maxRank, operand, type OpRule, type OpSignature } from './op-rule.js';

/** Elementwise ops: binary arithmetic with broadcasting, and activation functions. */

type ElementwiseKind =
  | 'Add' | 'Sub' | 'Mul' | 'Maximum' | 'Minimum'
  | 'Relu' | 'Relu6' | 'Logistic' | 'Tanh' | 'LeakyRelu' | 'Prelu' | 'Elu' | 'HardSwish' | 'Softmax';

/** op_version.cc for SUB, MAXIMUM, MINIMUM: broadcasting beyond rank 4 is 3, int8 is 2. */
const broadcastVersion = (sig: OpSignature) => (broadcasts(sig) && maxRank(sig) > 4 ? 3 : isInt8(sig) ? 2 : 1);

function maxMin(builtin: BuiltinOperator): OpRule<'Maximum' | 'Minimum'> {
  return {
    builtin,
    inputs: [operand, operand],
    outputs: [act],
    output: 'same-as-inputs',
    version: broadcastVersion,
    options: (b) => ({ type: BuiltinOptions.MaximumMinimumOptions, offset: MaximumMinimumOptions.createMaximumMinimumOptions(b) }),
  };
}

/** Activation functions without options: one input, one output. */
function unary<K extends 'Relu' | 'Relu6' | 'Elu' | 'HardSwish' | 'Logistic' | 'Tanh'>(builtin: BuiltinOperator, version: (sig: OpSignature) => number): OpRule<K> {
  return { builtin, inputs: [act], outputs: [act], version };
}

export const ELEMENTWISE_OPS: { readonly [K in ElementwiseKind]: OpRule<K> } = {
  Add: {
    builtin: BuiltinOperator.ADD,
    inputs: [operand, operand],
    outputs: [act],
    version: int8Version(2),
    // pot_scale_int16 defaults to true in the schema; it only matters for int16.
    options: (b, { attrs: a }) => ({ type: BuiltinOptions.AddOptions, offset: AddOptions.createAddOptions(b, ACTIVATION[a.activation], true) }),
  },
  Sub: {
    builtin: BuiltinOperator.SUB,
    inputs: [operand, operand],
    outputs: [act],
    version: broadcastVersion,
    options: (b, { attrs: a }) => ({ type: BuiltinOptions.SubOptions, offset: SubOptions.createSubOptions(b, ACTIVATION[a.activation], true) }),
  },
  Mul: {
    builtin: BuiltinOperator.MUL,
    inputs: [operand, operand],
    outputs: [act],
    // op_version.cc: a quantized MUL whose input1 × input2 / output scale is ≥ 1 needs version 3.
    version: (sig) => {
      const [a, b] = sig.inputs;
      const out = sig.outputs[0]!.scale;
      if (a?.scale && b?.scale && out && (a.scale * b.scale) / out >= 1) return 3;
      return isInt8(sig) ? 2 : 1;
    },
    options: (b, { attrs: a }) => ({ type: BuiltinOptions.MulOptions, offset: MulOptions.createMulOptions(b, ACTIVATION[a.activation]) }),
  },
  Maximum: maxMin(BuiltinOperator.MAXIMUM),
  Minimum: maxMin(BuiltinOperator.MINIMUM),
  Relu: unary(BuiltinOperator.RELU, int8Version(2)),
  Relu6: unary(BuiltinOperator.RELU6, int8Version(2)),
  Logistic: { ...unary(BuiltinOperator.LOGISTIC, int8Version(2)), output: { scale: 1 / 256, zeroPoint: -128 } },
  Tanh: { ...unary(BuiltinOperator.TANH, int8Version(2)), output: { scale: 1 / 128, zeroPoint: 0 } },
  // op_version.cc gives LEAKY_RELU, PRELU, ELU and HARD_SWISH version 1 for int8 and float alike.
  Elu: unary(BuiltinOperator.ELU, () => 1),
  HardSwish: unary(BuiltinOperator.HARD_SWISH, () => 1),
  LeakyRelu: {
    builtin: BuiltinOperator.LEAKY_RELU,
    inputs: [act],
    outputs: [act],
    version: () => 1,
    options: (b, op) => ({ type: BuiltinOptions.LeakyReluOptions, offset: LeakyReluOptions.createLeakyReluOptions(b, op.attrs.alpha) }),
  },
  Prelu: { builtin: BuiltinOperator.PRELU, inputs: [act, operand], outputs: [act], version: () => 1 },
  Softmax: {
    builtin: BuiltinOperator.SOFTMAX,
    inputs: [act],
    outputs: [act],
    output: { scale: 1 / 256, zeroPoint: -128 },
    version: int8Version(2),
    options: (b, op) => ({ type: BuiltinOptions.SoftmaxOptions, offset: SoftmaxOptions.createSoftmaxOptions(b, op.attrs.beta) }),
  },
};
