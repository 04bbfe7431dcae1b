import { isFloat, type OpSupportRow } from '@qatkit/core';
import { constOperand, FQ8, inputTypes, isHybrid, needsApi, noFusedActivation, noHybrid, rankAtMost, src, type NnapiConfig, type Rule } from './rules.js';

type Row = OpSupportRow<NnapiConfig>;

const f32 = (id: string): Rule => inputTypes(id, [[27, ['FLOAT32']]]);
const row = (opcode: string, since: number, maxVersion: number | undefined, rules: Rule[] = []): Row => ({ opcode, since, ...(maxVersion ? { maxVersion } : {}), ...src, rules });
const noFlags = (id: string, untilApi: number): Rule => ({
  id,
  rule: `Up to API ${untilApi}: align_corners and half_pixel_centers must be false.`,
  effect: 'cpu',
  ...src,
  test: (c, { api }) => (api <= untilApi && (c.options['alignCorners'] === true || c.options['halfPixelCenters'] === true) ? 'align_corners or half_pixel_centers set' : undefined),
});
const lstmInt8: Rule = {
  id: 'NN-LSTM-INT8',
  rule: "NNAPI's UNIDIRECTIONAL_SEQUENCE_LSTM is specified for float16/float32 operands; an int8 LSTM passes the delegate's Validate, the driver may still refuse it.",
  effect: 'warn',
  source: 'NNAPI operation spec (ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM), not retrieved',
  confidence: 'UNCONFIRMED',
  test: (c) => (isFloat(c.inputs[0]) ? undefined : `${c.inputs[0]?.type ?? '?'} input`),
};

/** The rest of Validate's switch (targets.md §2.2). */
export const MORE_OPS: readonly Row[] = [
  row('ARG_MAX', 29, 2, [inputTypes('NN-ARG-TYPES', [[29, ['FLOAT16', 'FLOAT32', 'INT32', 'UINT8', 'INT8']]])]),
  row('ARG_MIN', 29, 2, [inputTypes('NN-ARG-TYPES', [[29, ['FLOAT16', 'FLOAT32', 'INT32', 'UINT8', 'INT8']]])]),
  row('RESHAPE', 27, 1, [inputTypes('NN-RESHAPE-TYPES', [[27, FQ8]]), constOperand('NN-RESHAPE-SHAPE', 1, 'shape')]),
  row('RESIZE_BILINEAR', 27, 3, [
    inputTypes('NN-RESIZE-TYPES', [[27, ['FLOAT32']], [29, FQ8]]),
    { id: 'NN-RESIZE-RANK', rule: 'Input rank 4.', effect: 'cpu', ...src, test: (c) => (c.inputs[0]?.shape.length === 4 ? undefined : `input rank ${c.inputs[0]?.shape.length ?? 0}`) },
    constOperand('NN-RESIZE-SIZE', 1, 'size'),
    noFlags('NN-RESIZE-FLAGS', 29),
  ]),
  row('RESIZE_NEAREST_NEIGHBOR', 29, 3, [inputTypes('NN-RESIZE-TYPES', [[29, FQ8]]), constOperand('NN-RESIZE-SIZE', 1, 'size'), noFlags('NN-RESIZE-FLAGS', 29)]),
  row('SQUEEZE', 28, 1),
  row('UNIDIRECTIONAL_SEQUENCE_LSTM', 29, 2, [
    noHybrid('NN-SEQLSTM-HYBRID'),
    { id: 'NN-SEQLSTM-INPUTS', rule: '20 or 24 inputs.', effect: 'cpu', ...src, test: (c) => ([20, 24].includes(c.op.inputs.length) ? undefined : `${c.op.inputs.length} inputs`) },
    lstmInt8,
  ]),
  row('BIDIRECTIONAL_SEQUENCE_LSTM', 29, 1, [noHybrid('NN-BILSTM-HYBRID')]),
  row('UNIDIRECTIONAL_SEQUENCE_RNN', 29, 1, [noHybrid('NN-SEQRNN-HYBRID')]),
  row('RNN', 27, 1, [f32('NN-RNN-TYPES')]),
  row('SVDF', 28, 1, [{ id: 'NN-SVDF-WEIGHTS', rule: 'Weights must be float32.', effect: 'cpu', ...src, test: (c) => (c.inputs[1]?.type === 'FLOAT32' ? undefined : `${c.inputs[1]?.type ?? '?'} weights`) }]),
  row('LSTM', 28, 3, [needsApi('NN-LSTM-HYBRID', 29, 'A hybrid LSTM', (c) => (isHybrid(c, 2) ? 'float input with 8-bit weights' : undefined)), needsApi('NN-LSTM-FULL', 29, 'The 24-input (full) kernel', (c) => (c.op.inputs.length === 24 ? '24 inputs' : undefined))]),
  row('L2_NORMALIZATION', 27, 2, [noFusedActivation('NN-L2NORM-FUSED'), needsApi('NN-L2NORM-28', 29, 'A quantized or non-4-D L2 normalization', (c) => (!isFloat(c.inputs[0]) || c.inputs[0]?.shape.length !== 4 ? 'quantized or not rank 4' : undefined))]),
  row('LOCAL_RESPONSE_NORMALIZATION', 27, 1),
  row('LSH_PROJECTION', 27, 1),
  row('DEQUANTIZE', 27, 2, [
    inputTypes('NN-DEQUANTIZE-TYPES', [[27, ['UINT8']], [29, ['UINT8', 'INT8']], [30, ['UINT8', 'INT8', 'FLOAT16']]]),
    { id: 'NN-DEQUANTIZE-29', rule: 'At API 29 an int8 input needs zero point 0.', effect: 'cpu', ...src, test: (c, { api }) => (api === 29 && c.inputs[0]?.type === 'INT8' && c.inputs[0].quantization?.zeroPoint[0] !== 0 ? 'int8 input with a non-zero zero point' : undefined) },
  ]),
  row('QUANTIZE', 29, 2, [
    inputTypes('NN-QUANTIZE-TYPES', [[29, FQ8]]),
    { id: 'NN-QUANTIZE-OUT', rule: 'Output uint8 before API 30; uint8 or int8 from API 30.', effect: 'cpu', ...src, test: (c, { api }) => (c.outputs[0]?.type === 'UINT8' || (api >= 30 && c.outputs[0]?.type === 'INT8') ? undefined : `${c.outputs[0]?.type ?? '?'} output at API ${api}`) },
  ]),
  row('DENSIFY', 30, undefined, [constOperand('NN-DENSIFY-CONST', 0, 'input')]),
  row('FLOOR', 27, 1),
  row('PAD', 28, 2, [
    inputTypes('NN-PAD-TYPES', [[28, ['FLOAT32']], [29, FQ8]]),
    { id: 'NN-PAD-ZERO', rule: 'The input has no zero-sized dimension.', effect: 'cpu', ...src, test: (c) => (c.inputs[0]?.shape.includes(0) ? 'zero-sized dimension' : undefined) },
  ]),
  row('PADV2', 29, 2, [inputTypes('NN-PAD-TYPES', [[29, FQ8]])]),
  row('SPACE_TO_BATCH_ND', 28, 2),
  row('BATCH_TO_SPACE_ND', 28, 2, [{ id: 'NN-B2S-CROPS', rule: 'All crops must be 0.', effect: 'cpu', ...src, test: (c) => (c.inputs[2]?.values?.some((v) => v !== 0) ? 'non-zero crops' : undefined) }]),
  row('STRIDED_SLICE', 28, 2),
  row('TRANSPOSE', 28, 2, [constOperand('NN-TRANSPOSE-PERM', 1, 'permutation')]),
  ...['ABS', 'EXP', 'LOG', 'RSQRT', 'POW', 'SIN', 'SQRT', 'LOG_SOFTMAX'].map((op) => row(op, 29, 1, [f32(`NN-${op}-TYPES`)])),
  row('SLICE', 29, 2, [inputTypes('NN-SLICE-TYPES', [[29, ['FLOAT32', 'INT32', 'UINT8', 'INT8']]])]),
  row('SPACE_TO_DEPTH', 27, 2, [inputTypes('NN-S2D-TYPES', [[27, ['FLOAT32', 'UINT8', 'INT8']]])]),
  row('DEPTH_TO_SPACE', 27, undefined, [inputTypes('NN-D2S-TYPES', [[27, ['FLOAT32', 'UINT8', 'INT8']]])]),
  row('MEAN', 28, 2, [inputTypes('NN-MEAN-TYPES', [[28, ['FLOAT32']], [29, FQ8]]), { id: 'NN-MEAN-RANK', rule: 'Output rank > 0.', effect: 'cpu', ...src, test: (c) => (c.outputs[0]?.shape.length === 0 ? 'scalar output' : undefined) }]),
  row('EMBEDDING_LOOKUP', 27, 1, [inputTypes('NN-EMBEDDING-TYPES', [[27, ['FLOAT32']]], 1)]),
  row('HASHTABLE_LOOKUP', 27, 1),
  row('MAXIMUM', 29, 3, [inputTypes('NN-MAXMIN-TYPES', [[29, [...FQ8, 'INT32']]])]),
  row('MINIMUM', 29, 3, [inputTypes('NN-MAXMIN-TYPES', [[29, [...FQ8, 'INT32']]])]),
  row('CAST', 29, 1, [inputTypes('NN-CAST-TYPES', [[29, ['FLOAT32', 'INT32', 'UINT8']], [30, ['FLOAT32', 'INT32', 'UINT8', 'INT8']]])]),
  row('LEAKY_RELU', 29, 1, [inputTypes('NN-LEAKY-TYPES', [[29, FQ8]])]),
  row('PRELU', 29, 1, [inputTypes('NN-PRELU-TYPES', [[29, FQ8]])]),
  row('TILE', 29, 1, [inputTypes('NN-TILE-TYPES', [[29, [...FQ8, 'INT32']]])]),
  ...['LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT'].map((op) => row(op, 29, 1, [inputTypes(`NN-${op}-TYPES`, [[29, ['BOOL']]])])),
  ...['LESS', 'LESS_EQUAL', 'GREATER', 'GREATER_EQUAL', 'EQUAL', 'NOT_EQUAL'].map((op) => row(op, 29, 2, [inputTypes('NN-COMPARE-TYPES', [[29, [...FQ8, 'BOOL', 'INT32']]])])),
  row('NEG', 29, 2, [inputTypes('NN-NEG-TYPES', [[29, ['FLOAT32', 'INT32']]])]),
  row('TOPK_V2', 29, 2, [constOperand('NN-TOPK-K', 1, 'k')]),
  row('SELECT', 29, 2),
  row('GATHER', 29, 2, [inputTypes('NN-GATHER-TYPES', [[29, ['FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT8']]])]),
  row('EXPAND_DIMS', 29, 1, [constOperand('NN-EXPAND-AXIS', 1, 'axis')]),
  row('SPLIT', 29, 3, [inputTypes('NN-SPLIT-TYPES', [[29, ['FLOAT32', 'UINT8', 'INT32']], [30, ['FLOAT32', 'UINT8', 'INT32', 'INT8']]], 1), constOperand('NN-SPLIT-AXIS', 0, 'axis')]),
  row('SPLIT_V', 30, 2, [constOperand('NN-SPLITV-SIZES', 1, 'size_splits'), constOperand('NN-SPLITV-AXIS', 2, 'axis')]),
  row('REDUCE_ANY', 29, 2),
  row('REDUCE_MIN', 29, 2, [inputTypes('NN-REDUCE-TYPES', [[29, FQ8]])]),
  row('REDUCE_MAX', 29, 2, [inputTypes('NN-REDUCE-TYPES', [[29, FQ8]])]),
  row('REDUCE_PROD', 29, 1, [f32('NN-REDUCE-F32')]),
  row('SUM', 29, 1, [f32('NN-REDUCE-F32')]),
  row('ELU', 30, 1, [f32('NN-ELU-TYPES')]),
  row('FILL', 30, 1, [constOperand('NN-FILL-DIMS', 0, 'dims')]),
  row('PACK', 30, 2, [
    inputTypes('NN-PACK-TYPES', [[30, ['INT32', 'FLOAT32', 'INT8']]]),
    { id: 'NN-PACK-AXIS', rule: 'Cannot pack on the new last axis (axis -1 or the input rank).', effect: 'cpu', ...src, test: (c) => (c.options['axis'] === -1 || c.options['axis'] === c.inputs[0]?.shape.length ? `axis ${String(c.options['axis'])}` : undefined) },
  ]),
  row('SQUARED_DIFFERENCE', 28, 2, [inputTypes('NN-SQDIFF-TYPES', [[28, ['FLOAT32']], [29, ['FLOAT32', 'UINT8']], [30, [...FQ8, 'INT32']]]), rankAtMost('NN-SQDIFF-RANK', 4, [0, 1])]),
];
