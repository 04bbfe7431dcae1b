import { fusedActivation, isFloat, shapeText, type OpSupportRow } from '@qatkit/core';
import { constOperand, FQ8, inputTypes, needsApi, noFusedActivation, noHybrid, perChannelConv, rankAtMost, restrictedScales, src, type NnapiConfig, type Rule } from './rules.js';

type Row = OpSupportRow<NnapiConfig>;

const dilated = (c: Parameters<Rule['test']>[0]) => (c.options['dilationWFactor'] !== 1 || c.options['dilationHFactor'] !== 1 ? `dilation ${String(c.options['dilationHFactor'])}×${String(c.options['dilationWFactor'])}` : undefined);
const int32NoFused: Rule = {
  id: 'NN-INT32-FUSED',
  rule: 'int32 inputs take no fused activation.',
  effect: 'cpu',
  ...src,
  test: (c) => (c.inputs[0]?.type === 'INT32' && fusedActivation(c) !== 'NONE' ? `int32 with fused ${fusedActivation(c)}` : undefined),
};
const quantLegacy = inputTypes('NN-QUANT-TYPES', [[27, ['FLOAT32', 'UINT8']], [29, FQ8]]);

/** Convolutions, pooling and the elementwise basics (targets.md §2.2, NEW commit). */
export const CORE_OPS: readonly Row[] = [
  { opcode: 'ADD', since: 27, maxVersion: 2, ...src, rules: [inputTypes('NN-ADD-TYPES', [[27, FQ8], [30, [...FQ8, 'INT32']]]), int32NoFused] },
  { opcode: 'MUL', since: 27, maxVersion: 2, ...src, rules: [inputTypes('NN-MUL-TYPES', [[27, FQ8], [30, [...FQ8, 'INT32']]]), int32NoFused] },
  {
    opcode: 'SUB',
    since: 28,
    maxVersion: 3,
    ...src,
    rules: [inputTypes('NN-SUB-TYPES', [[28, ['FLOAT32']], [29, FQ8], [30, [...FQ8, 'INT32']]]), int32NoFused, rankAtMost('NN-SUB-RANK', 4, [0, 1])],
  },
  { opcode: 'DIV', since: 28, maxVersion: 1, ...src, rules: [inputTypes('NN-DIV-TYPES', [[28, ['FLOAT32']]])] },
  {
    opcode: 'AVERAGE_POOL_2D',
    since: 27,
    maxVersion: 2,
    ...src,
    rules: [
      inputTypes('NN-POOL-TYPES', [[27, FQ8]]),
      {
        id: 'NN-AVGPOOL-FILTER',
        rule: 'Quantized average pooling without a named accelerator: filter_width * filter_height <= 256.',
        effect: 'cpu',
        ...src,
        test: (c) => {
          const area = Number(c.options['filterWidth'] ?? 0) * Number(c.options['filterHeight'] ?? 0);
          return !isFloat(c.inputs[0]) && area > 256 ? `filter ${String(c.options['filterHeight'])}×${String(c.options['filterWidth'])} = ${area} > 256` : undefined;
        },
      },
    ],
  },
  { opcode: 'MAX_POOL_2D', since: 27, maxVersion: 2, ...src, rules: [inputTypes('NN-POOL-TYPES', [[27, FQ8]])] },
  { opcode: 'L2_POOL_2D', since: 27, maxVersion: 1, ...src, rules: [inputTypes('NN-L2POOL-TYPES', [[27, ['FLOAT32']]]), noFusedActivation('NN-L2POOL-FUSED', (_, api) => api < 29)] },
  {
    opcode: 'CONV_2D',
    since: 27,
    maxVersion: 5,
    ...src,
    rules: [
      quantLegacy,
      noHybrid('NN-CONV-HYBRID', 29),
      perChannelConv,
      restrictedScales,
      {
        id: 'NN-CONV-BIAS',
        rule: 'Conv2D with omitted bias not supported',
        effect: 'cpu',
        status: 'Conv2D with omitted bias not supported',
        fix: 'export the convolution with a (zero) bias',
        ...src,
        test: (c) => (c.inputs.length < 3 || c.inputs[2] === undefined ? 'no bias input' : undefined),
      },
      needsApi('NN-CONV-DILATION', 29, 'Dilation other than 1', dilated),
    ],
  },
  {
    opcode: 'DEPTHWISE_CONV_2D',
    since: 27,
    maxVersion: 3,
    ...src,
    rules: [quantLegacy, restrictedScales, needsApi('NN-DW-DILATION', 29, 'Dilation other than 1', dilated)],
  },
  {
    opcode: 'FULLY_CONNECTED',
    since: 27,
    maxVersion: 5,
    ...src,
    rules: [
      quantLegacy,
      noHybrid('NN-FC-HYBRID', 29),
      restrictedScales,
      { id: 'NN-FC-INT16', rule: 'Output must not be int16.', effect: 'cpu', ...src, test: (c) => (c.outputs[0]?.type === 'INT16' ? 'int16 output' : undefined) },
      needsApi('NN-FC-KEEPDIMS', 30, 'keep_num_dims', (c) => (c.options['keepNumDims'] === true ? 'keep_num_dims = true' : undefined)),
    ],
  },
  {
    opcode: 'TRANSPOSE_CONV',
    since: 29,
    maxVersion: 3,
    ...src,
    rules: [constOperand('NN-TCONV-SHAPE', 0, 'output shape'), constOperand('NN-TCONV-WEIGHTS', 1, 'weights')],
  },
  {
    opcode: 'SOFTMAX',
    since: 27,
    maxVersion: 2,
    ...src,
    rules: [
      inputTypes('NN-SOFTMAX-TYPES', [[27, FQ8]]),
      { id: 'NN-SOFTMAX-OUT', rule: 'Output type float32, uint8 or int8.', effect: 'cpu', ...src, test: (c) => (FQ8.includes(c.outputs[0]?.type as 'INT8') ? undefined : `${c.outputs[0]?.type ?? '?'} output`) },
      rankAtMost('NN-SOFTMAX-RANK', 4),
      {
        id: 'NN-SOFTMAX-RANK-28',
        rule: 'Before API 29 the input rank must be 2 or 4.',
        effect: 'cpu',
        ...src,
        test: (c, { api }) => (api < 29 && ![2, 4].includes(c.inputs[0]?.shape.length ?? 0) ? `input ${shapeText(c.inputs[0]?.shape ?? [])}` : undefined),
      },
    ],
  },
  { opcode: 'HARD_SWISH', since: 27, ...src, rules: [inputTypes('NN-HARDSWISH-TYPES', [[27, FQ8]])] },
  ...['RELU', 'RELU_N1_TO_1', 'RELU6', 'LOGISTIC'].map((opcode): Row => ({ opcode, since: 27, maxVersion: 2, ...src, rules: [inputTypes(`NN-${opcode}-TYPES`, [[27, FQ8]])] })),
  { opcode: 'TANH', since: 27, maxVersion: 2, ...src, rules: [inputTypes('NN-TANH-TYPES', [[27, ['FLOAT32']], [29, FQ8]])] },
  {
    opcode: 'CONCATENATION',
    since: 27,
    maxVersion: 2,
    ...src,
    rules: [
      inputTypes('NN-CONCAT-TYPES', [[27, ['FLOAT16', ...FQ8]]]),
      noFusedActivation('NN-CONCAT-FUSED'),
      {
        id: 'NN-CONCAT-RANK',
        rule: 'Input rank at most 4.',
        effect: 'cpu',
        ...src,
        test: (c) => (c.inputs.some((t) => (t?.shape.length ?? 0) > 4) ? 'an input has rank > 4' : undefined),
      },
      {
        id: 'NN-CONCAT-U8-SCALES',
        rule: 'uint8 before API 29: all inputs share scale and zero point.',
        effect: 'cpu',
        ...src,
        test: (c, { api }) => {
          if (api >= 29 || c.inputs[0]?.type !== 'UINT8') return undefined;
          const q = (k: number) => `${c.inputs[k]?.quantization?.scale[0]}/${c.inputs[k]?.quantization?.zeroPoint[0]}`;
          return c.inputs.some((_, k) => q(k) !== q(0)) ? 'inputs with different scales or zero points' : undefined;
        },
      },
    ],
  },
];
