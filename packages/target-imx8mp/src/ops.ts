import { constValues, fusedActivation, isFloat, isPerAxis, type OpSupportRow } from '@qatkit/core';
import { OP_MAP, src, type Imx8mpConfig, type Rule } from './general.js';

type Row = OpSupportRow<Imx8mpConfig>;

const FUSED_OK = new Set(['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGMOID']);
const fused: Rule = { id: 'VX-FUSED', rule: 'Fused activations: NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGMOID; anything else logs "Unsupported fused activation".', effect: 'cpu', status: 'Unsupported fused activation', ...src, test: (c) => (FUSED_OK.has(fusedActivation(c)) ? undefined : `fused ${fusedActivation(c)}`) };
const noHybrid: Rule = { id: 'VX-G5', rule: 'No hybrid ops: input.type == weight.type.', effect: 'cpu', fix: 'quantize activations too (full-integer)', ...src, test: (c) => (c.inputs[0] && c.inputs[1] && c.inputs[0].type !== c.inputs[1].type ? `${c.inputs[0].type} input with ${c.inputs[1].type} weights` : undefined) };
const constant = (id: string, k: number, what: string): Rule => ({ id, rule: `The ${what} (input ${k}) must be constant.`, effect: 'cpu', ...src, test: (c) => (c.inputs[k] !== undefined && !c.inputs[k]!.hasData ? `${what} is computed at run time` : undefined) });
const staticOutput: Rule = { id: 'VX-STATIC', rule: 'Output shape must be static (rank ≠ 0).', effect: 'cpu', ...src, test: (c) => (c.outputs.some((t) => t.shape.length === 0) ? 'output of unknown shape' : undefined) };
const quantizedBytes: Rule = { id: 'VX-QUANTIZED-8BIT', rule: 'int8/uint8 inputs must carry quantization parameters.', effect: 'cpu', ...src, test: (c) => (c.inputs[0] && ['INT8', 'UINT8'].includes(c.inputs[0].type) && !c.inputs[0].quantization ? 'int8/uint8 input without quantization' : undefined) };
const base = (opcode: string, rules: Rule[] = []): Row => ({ opcode, ...src, rules });

/** Ops op_map.cc registers (95 builtin codes, identical upstream), with their extra checks. Unregistered ops fall back. */
export const OPS: readonly Row[] = [
  ...['ADD', 'SUB', 'MUL', 'DIV'].map((op) =>
    base(op, [fused, { id: 'VX-ELTWISE-INT16', rule: 'Reject int16 input with u8/i8 (asymmetric) output.', effect: 'cpu', ...src, test: (c) => (c.inputs[0]?.type === 'INT16' && ['INT8', 'UINT8'].includes(c.outputs[0]?.type ?? '') ? 'int16 input, 8-bit output' : undefined) }]),
  ),
  ...['ABS', 'SIN', 'EXP', 'LOG', 'SQRT', 'RSQRT', 'SQUARE', 'FLOOR', 'NEG', 'ELU', 'GELU', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'LOGISTIC', 'TANH', 'HARD_SWISH', 'LEAKY_RELU', 'PRELU'].map((op) => base(op)),
  base('POW', [{ id: 'VX-POW', rule: 'Reject int32 ^ int32.', effect: 'cpu', ...src, test: (c) => (c.inputs[0]?.type === 'INT32' && c.inputs[1]?.type === 'INT32' ? 'int32 ^ int32' : undefined) }]),
  ...['FLOOR_DIV', 'GREATER', 'GREATER_EQUAL', 'LESS', 'LESS_EQUAL', 'EQUAL', 'NOT_EQUAL', 'LOGICAL_NOT', 'LOGICAL_AND', 'LOGICAL_OR', 'MAXIMUM', 'MINIMUM', 'ADD_N'].map((op) => base(op)),
  base('CONV_2D', [fused, noHybrid, { id: 'VX-GROUPED-BATCH', rule: 'Grouped convolution (input C ≠ filter C) with batch ≠ 1 is rejected.', effect: 'cpu', ...src, test: (c) => (c.inputs[0] && c.inputs[1] && c.inputs[0].shape[3] !== c.inputs[1].shape[3] && c.inputs[0].shape[0] !== 1 ? `grouped convolution with batch ${c.inputs[0].shape[0]}` : undefined) }]),
  base('DEPTHWISE_CONV_2D', [fused, noHybrid]),
  base('CONV_3D', [noHybrid, constant('VX-CONV3D-WEIGHTS', 1, 'weights'), { id: 'VX-CONV3D-DILATION', rule: 'Dilation must be 1 in all dimensions.', effect: 'cpu', ...src, test: (c) => (['dilationDFactor', 'dilationWFactor', 'dilationHFactor'].some((k) => c.options[k] !== 1) ? 'dilated' : undefined) }]),
  base('TRANSPOSE_CONV', [staticOutput]),
  base('FULLY_CONNECTED', [
    fused,
    noHybrid,
    { id: 'VX-FC-FORMAT', rule: 'weights_format SHUFFLED4x16INT8 is rejected.', effect: 'cpu', ...src, test: (c) => (c.options['weightsFormat'] === 'SHUFFLED4x16INT8' ? 'shuffled weights' : undefined) },
    { id: 'VX-FC-INT16', rule: 'No int16 inputs.', effect: 'cpu', ...src, test: (c) => (c.inputs.some((t) => t?.type === 'INT16') ? 'int16 input' : undefined) },
  ]),
  base('AVERAGE_POOL_2D', [fused]),
  base('MAX_POOL_2D', [fused]),
  base('SOFTMAX'),
  base('CONCATENATION', [fused]),
  base('RESHAPE', [constant('VX-RESHAPE-SHAPE', 1, 'shape'), staticOutput]),
  base('SQUEEZE'),
  base('EXPAND_DIMS', [constant('VX-EXPAND-AXIS', 1, 'axis')]),
  base('STRIDED_SLICE', [
    constant('VX-SS-BEGIN', 1, 'begin'),
    constant('VX-SS-END', 2, 'end'),
    constant('VX-SS-STRIDES', 3, 'strides'),
    { id: 'VX-SS-MASKS', rule: 'new_axis_mask and ellipsis_mask must be 0.', effect: 'cpu', ...src, test: (c) => (c.options['newAxisMask'] !== 0 || c.options['ellipsisMask'] !== 0 ? 'new_axis_mask or ellipsis_mask set' : undefined) },
  ]),
  base('SLICE', [
    constant('VX-SLICE-BEGIN', 1, 'begin'),
    constant('VX-SLICE-SIZE', 2, 'size'),
    { id: 'VX-SLICE-BATCH', rule: 'If rank > 3, slicing in the batch dimension is rejected.', effect: 'cpu', ...src, test: (c) => {
      const begin = constValues(c.inputs[1]);
      const size = constValues(c.inputs[2]);
      const rank = c.inputs[0]?.shape.length ?? 0;
      return rank > 3 && begin && size && (begin[0] !== 0 || (size[0] !== -1 && size[0] !== c.inputs[0]!.shape[0])) ? 'slices the batch dimension' : undefined;
    } },
  ]),
  base('PAD', [staticOutput]),
  base('MIRROR_PAD', [staticOutput]),
  ...['RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR'].map((op) => base(op, [constant('VX-RESIZE-SIZE', 1, 'size'), quantizedBytes])),
  base('SPLIT', [staticOutput, quantizedBytes]),
  base('SPLIT_V', [staticOutput, quantizedBytes]),
  ...['SPACE_TO_DEPTH', 'DEPTH_TO_SPACE'].map((op) => base(op, [quantizedBytes, { id: 'VX-S2D-INT', rule: 'No int32/int64 input.', effect: 'cpu', ...src, test: (c) => (['INT32', 'INT64'].includes(c.inputs[0]?.type ?? '') ? `${c.inputs[0]!.type} input` : undefined) }])),
  ...['SPACE_TO_BATCH_ND', 'BATCH_TO_SPACE_ND'].map((op) => base(op, [staticOutput, { id: 'VX-S2B-RANK', rule: 'Input rank must be 4.', effect: 'cpu', ...src, test: (c) => (c.inputs[0]?.shape.length === 4 ? undefined : `input rank ${c.inputs[0]?.shape.length ?? 0}`) }])),
  base('TRANSPOSE', [staticOutput]),
  base('BATCH_MATMUL', [
    { id: 'VX-BMM-OUT', rule: 'No int32 output.', effect: 'cpu', ...src, test: (c) => (c.outputs[0]?.type === 'INT32' ? 'int32 output' : undefined) },
    { id: 'VX-BMM-MIX', rule: 'No float32/int8 mix; not both adj_x and adj_y.', effect: 'cpu', ...src, test: (c) => (isFloat(c.inputs[0]) !== isFloat(c.inputs[1]) ? 'float32/int8 mix' : c.options['adjX'] === true && c.options['adjY'] === true ? 'adj_x and adj_y' : undefined) },
  ]),
  base('GATHER'),
  base('GATHER_ND'),
  base('SCATTER_ND', [constant('VX-SCATTER-SHAPE', 2, 'shape')]),
  base('REVERSE_V2', [constant('VX-REVERSE-AXIS', 1, 'axis')]),
  ...['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD', 'REDUCE_ANY'].map((op) => base(op, [constant('VX-REDUCE-AXIS', 1, 'axis')])),
  ...['ARG_MAX', 'ARG_MIN'].map((op) => base(op, [staticOutput])),
  ...['SELECT', 'SELECT_V2'].map((op) =>
    base(op, [{ id: 'VX-SELECT', rule: 'Condition rank == input rank; bool/int8/uint8 value inputs or outputs are rejected.', effect: 'cpu', ...src, test: (c) => (['BOOL', 'INT8', 'UINT8'].includes(c.outputs[0]?.type ?? '') ? `${c.outputs[0]!.type} values` : undefined) }]),
  ),
  base('PACK', [{ id: 'VX-PACK', rule: 'int32 input rejected; rank-1 int8/uint8 input rejected.', effect: 'cpu', ...src, test: (c) => (c.inputs[0]?.type === 'INT32' ? 'int32 input' : ['INT8', 'UINT8'].includes(c.inputs[0]?.type ?? '') && c.inputs[0]!.shape.length === 1 ? 'rank-1 8-bit input' : undefined) }]),
  base('UNPACK'),
  base('ONE_HOT', [constant('VX-ONEHOT-DEPTH', 1, 'depth')]),
  base('CAST'),
  base('SHAPE'),
  base('BROADCAST_TO'),
  base('SQUARED_DIFFERENCE', [{ id: 'VX-SQDIFF', rule: 'Both inputs the same type; float32, or int8/uint8 with per-tensor scales only.', effect: 'cpu', ...src, test: (c) => (c.inputs[0]?.type !== c.inputs[1]?.type ? 'mixed input types' : c.inputs.some(isPerAxis) ? 'per-channel input' : undefined) }]),
  base('QUANTIZE', [{ id: 'VX-QUANTIZE', rule: 'Reject int32/int16 (asymmetric) → u8/i8, int16 → int32, and float32 → per-channel.', effect: 'cpu', ...src, test: (c) => (['INT16', 'INT32'].includes(c.inputs[0]?.type ?? '') ? `${c.inputs[0]!.type} → ${c.outputs[0]?.type ?? '?'}` : isFloat(c.inputs[0]) && isPerAxis(c.outputs[0]) ? 'float32 → per-channel' : undefined) }]),
  base('DEQUANTIZE', [{ id: 'VX-DEQUANTIZE', rule: 'Reject int16/float16 → float32 and per-channel → float32.', effect: 'cpu', ...src, test: (c) => (['INT16', 'FLOAT16'].includes(c.inputs[0]?.type ?? '') ? `${c.inputs[0]!.type} input` : isPerAxis(c.inputs[0]) ? 'per-channel input' : undefined) }]),
  base('L2_NORMALIZATION'),
  base('LOCAL_RESPONSE_NORMALIZATION'),
  base('EMBEDDING_LOOKUP', [{ id: 'VX-EMBEDDING', rule: 'Reject uint8 weights with int8 output.', effect: 'cpu', ...src, test: (c) => (c.inputs[1]?.type === 'UINT8' && c.outputs[0]?.type === 'INT8' ? 'uint8 weights, int8 output' : undefined) }]),
  base('HASHTABLE_LOOKUP'),
  base('RNN'),
  base('UNIDIRECTIONAL_SEQUENCE_RNN', [{ id: 'VX-SEQRNN', rule: 'Weights must be float32.', effect: 'cpu', ...src, test: (c) => (c.inputs[1]?.type === 'FLOAT32' ? undefined : `${c.inputs[1]?.type ?? '?'} weights`) }]),
  base('BIDIRECTIONAL_SEQUENCE_RNN', [{ id: 'VX-BIRNN', rule: 'Forward weights must be float32.', effect: 'cpu', ...src, test: (c) => (c.inputs[1]?.type === 'FLOAT32' ? undefined : `${c.inputs[1]?.type ?? '?'} weights`) }]),
  base('UNIDIRECTIONAL_SEQUENCE_LSTM', [
    { id: 'VX-LSTM-INPUT', rule: 'Input must be uint8/int8.', effect: 'cpu', ...src, test: (c) => (['INT8', 'UINT8'].includes(c.inputs[0]?.type ?? '') ? undefined : `${c.inputs[0]?.type ?? '?'} input`) },
    { id: 'VX-LSTM-STATE', rule: 'Output-state type == output type; cell state int16 or float16.', effect: 'cpu', ...src, test: (c) => (c.inputs[18] && c.inputs[18].type !== c.outputs[0]?.type ? 'output state type differs from the output' : c.inputs[19] && !['INT16', 'FLOAT16'].includes(c.inputs[19].type) ? `${c.inputs[19].type} cell state` : undefined) },
  ]),
  base('BIDIRECTIONAL_SEQUENCE_LSTM', [{ id: 'VX-BILSTM', rule: 'Weights float32 (quantized rejected); no projection or aux weights.', effect: 'cpu', ...src, test: (c) => (c.inputs[1]?.type === 'FLOAT32' ? undefined : `${c.inputs[1]?.type ?? '?'} weights`) }]),
  { opcode: 'CUSTOM:vsi-npu', ...src, source: `${OP_MAP} custom_reg: a pre-compiled NBG` },
];
