import { activations, narrowStorage, quantizationRefusal, type TargetRule } from '@qatkit/core';
import { src, type NnapiConfig } from './rules.js';

/** Ops whose int8 tensors the delegate re-encodes as uint8 below feature level 30 (NeedInt8Conversion). */
export const NEED_INT8_CONVERSION: ReadonlySet<string> = new Set([
  'ADD', 'ARG_MAX', 'ARG_MIN', 'AVERAGE_POOL_2D', 'BATCH_TO_SPACE_ND', 'CONCATENATION', 'EQUAL', 'EXPAND_DIMS', 'GATHER',
  'GREATER', 'GREATER_EQUAL', 'HARD_SWISH', 'L2_NORMALIZATION', 'LEAKY_RELU', 'LESS', 'LESS_EQUAL', 'LOGISTIC', 'MAXIMUM',
  'MAX_POOL_2D', 'MEAN', 'MINIMUM', 'MUL', 'NOT_EQUAL', 'PAD', 'PADV2', 'PRELU', 'REDUCE_MAX', 'REDUCE_MIN', 'RELU',
  'RELU_N1_TO_1', 'RELU6', 'RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR', 'RESHAPE', 'SLICE', 'SOFTMAX', 'SPACE_TO_BATCH_ND',
  'SPACE_TO_DEPTH', 'DEPTH_TO_SPACE', 'STRIDED_SLICE', 'SUB', 'TANH', 'TILE', 'TOPK_V2', 'TRANSPOSE',
  'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV', 'SELECT',
]);

/** Tensor types the delegate maps to NNAPI operand types (AddTensor). */
const MAPPED_TYPES: ReadonlySet<string> = new Set(['FLOAT32', 'FLOAT16', 'UINT8', 'INT8', 'INT32', 'BOOL', 'INT16']);

export const GENERAL: readonly TargetRule<NnapiConfig>[] = [
  {
    id: 'TFLITE-QUANT-DIM',
    rule: 'quantized_dimension must be in range [0, rank), and a per-axis tensor needs one scale per slice (TFLite interpreter).',
    effect: 'blocks',
    status: 'quantized_dimension must be in range [0, rank)',
    fix: "rewrite the tensor's quantized_dimension to a valid axis (0 for a 1-D bias)",
    source: 'tensorflow/lite/core/interpreter_builder.cc ParseQuantization (the app bundles TFLite/LiteRT; LiteRT refuses shared/models/person_detect.tflite)',
    confidence: 'SRC',
    test: (c) => quantizationRefusal(c),
  },
  {
    id: 'NN-G3-TYPE',
    rule: 'Tensor types map to NNAPI operand types: float32, float16, uint8, int8, int32, bool, int16; any other type fails ("Failed to add NN API tensor: type … is not supported").',
    effect: 'cpu',
    status: 'Failed to add NN API tensor',
    ...src,
    test: (c) => {
      const t = [...c.inputs, ...c.outputs].find((x) => x !== undefined && !MAPPED_TYPES.has(x.type));
      return t ? `${t.type} tensor "${t.name}"` : undefined;
    },
  },
  {
    id: 'NN-G3-INT8',
    rule: 'Below feature level 30 int8 is TENSOR_QUANT8_SYMM (zero point 0) unless the op is in the delegate\'s int8-to-uint8 conversion list.',
    effect: 'cpu',
    fix: 'target API 30 or later, or export uint8 / symmetric int8',
    source: `${src.source} (AddTensor, NeedInt8Conversion); consequence for other ops inferred`,
    confidence: 'UNCONFIRMED',
    test: (c, { api }) => {
      if (api >= 30 || NEED_INT8_CONVERSION.has(c.op.opcode)) return undefined;
      const t = activations(c).find((x) => x.type === 'INT8' && (x.quantization?.zeroPoint ?? [0]).some((z) => z !== 0));
      return t ? `int8 tensor "${t.name}" with zero point ${t.quantization!.zeroPoint[0]} at API ${api}` : undefined;
    },
  },
  {
    // Stays delegated ('info'): an int8 tensor is an ordinary 8-bit operand to the driver.
    id: 'NN-NBIT',
    rule: 'int8 and uint8 tensors become 8-bit NNAPI operands (TENSOR_QUANT8_ASYMM(_SIGNED), TENSOR_QUANT8_SYMM(_PER_CHANNEL)); NNAPI has no narrower operand type, so n-bit values stored as int8 run on the driver\'s 8-bit kernels: no size or speed gain on this device.',
    effect: 'info',
    source: `${src.source} (AddTensor: the operand type follows the tensor type; "qatkit.bits" metadata is not read)`,
    confidence: 'SRC',
    test: (c) => narrowStorage(c),
  },
];
