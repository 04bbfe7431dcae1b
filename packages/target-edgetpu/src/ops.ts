import { constValues, effectiveRank, elementCount, fusedActivation, isFloat, shapeText, type OpContext, type OpSupportRow, type TargetRule } from '@qatkit/core';
import type { EdgeTpuConfig } from './general.js';
import { S } from './sources.js';

type Rule = TargetRule<EdgeTpuConfig>;
type Row = OpSupportRow<EdgeTpuConfig>;

const TABLE = `${S.axisOps}; ${S.oldTable}`;
const sec = { source: TABLE, confidence: 'SEC' } as const;
/** Listed in the Coral table, but the runtime column value is recollection (targets.md §6.1). */
const since = (runtime: number) => ({ since: runtime, sinceConfidence: 'UNCONFIRMED' as const });

const noFused: Rule = {
  id: 'CORAL-NO-FUSED',
  rule: 'No fused activation function.',
  effect: 'cpu',
  fix: 'export the activation as its own op',
  ...sec,
  test: (c) => (fusedActivation(c) === 'NONE' ? undefined : `fused ${fusedActivation(c)}`),
};

const sameDilation: Rule = {
  id: 'CORAL-DILATION',
  rule: 'Must use the same dilation in x and y dimensions.',
  effect: 'cpu',
  ...sec,
  test: (c) => (c.options['dilationWFactor'] === c.options['dilationHFactor'] ? undefined : `dilation ${String(c.options['dilationHFactor'])}×${String(c.options['dilationWFactor'])}`),
};

/** Axis operand values normalised to [0, rank); undefined when not constant. */
function axes(c: OpContext, k: number): number[] | undefined {
  const values = constValues(c.inputs[k]);
  const rank = c.inputs[0]?.shape.length ?? 0;
  return values?.map((a) => (a < 0 ? a + rank : a));
}

const noBatch = (id: string, rule: string, k: number, extra: Partial<Rule> = {}): Rule => ({
  id,
  rule,
  effect: 'cpu',
  ...sec,
  ...extra,
  test: (c) => ((c.inputs[0]?.shape.length ?? 0) >= 2 && axes(c, k)?.includes(0) ? `operates on the batch dimension (axis 0 of ${shapeText(c.inputs[0]!.shape)})` : undefined),
});

const RESIZE_PRECISION: Rule = {
  id: 'CORAL-RESIZE',
  rule: 'Input/output is a 3-dimensional tensor. Depending on input/output size, this operation may not be mapped to the Edge TPU to avoid loss in precision.',
  effect: 'warn',
  source: `${TABLE}; maintainer in ${S.issue(31)}`,
  confidence: 'SEC',
  test: (c) => `${shapeText(c.inputs[0]?.shape ?? [])} → ${shapeText(c.outputs[0]?.shape ?? [])}: the compiler decides from the sizes whether the precision loss is acceptable`,
};

/** Coral's supported-operations table (shared/reference/targets.md §1.2). Anything else runs on the CPU. */
export const OPS: readonly Row[] = [
  { opcode: 'ADD', name: 'Add', ...sec },
  { opcode: 'AVERAGE_POOL_2D', name: 'AveragePool2d', ...sec, rules: [noFused] },
  {
    opcode: 'CONCATENATION',
    name: 'Concatenation',
    ...sec,
    rules: [
      noFused,
      {
        id: 'CORAL-CONCAT-CONST',
        rule: 'If any input is a compile-time constant tensor, there must be only 2 inputs, and this constant tensor must be all zeroes (effectively, a zero-padding op).',
        effect: 'cpu',
        ...sec,
        test: (c) => {
          const k = c.inputs.findIndex((t) => t?.hasData);
          if (k < 0) return undefined;
          if (c.inputs.length !== 2) return `constant input ${k} among ${c.inputs.length} inputs`;
          const values = constValues(c.inputs[k]);
          return values?.every((v) => v === (c.inputs[k]!.quantization?.zeroPoint[0] ?? 0)) ? undefined : `constant input ${k} is not (known to be) all zeroes`;
        },
      },
    ],
  },
  { opcode: 'CONV_2D', name: 'Conv2d', ...sec, rules: [sameDilation] },
  {
    opcode: 'DEPTHWISE_CONV_2D',
    name: 'DepthwiseConv2d',
    ...sec,
    rules: [
      sameDilation,
      {
        id: 'CORAL-DW-DILATION-12',
        rule: 'runtime ≤12: Dilated conv kernels are not supported.',
        effect: 'cpu',
        source: TABLE,
        confidence: 'UNCONFIRMED',
        test: (c, config) => (config.runtime <= 12 && (c.options['dilationWFactor'] !== 1 || c.options['dilationHFactor'] !== 1) ? `dilated kernel on runtime ${config.runtime}` : undefined),
      },
    ],
  },
  { opcode: 'EXPAND_DIMS', name: 'ExpandDims', ...sec, ...since(13) },
  {
    opcode: 'FULLY_CONNECTED',
    name: 'FullyConnected',
    ...sec,
    rules: [
      { id: 'CORAL-FC-FORMAT', rule: 'Only the default format is supported for fully-connected weights.', effect: 'cpu', ...sec, test: (c) => (c.options['weightsFormat'] === undefined || c.options['weightsFormat'] === 'DEFAULT' ? undefined : `weights format ${String(c.options['weightsFormat'])}`) },
      { id: 'CORAL-FC-OUTPUT', rule: 'Output tensor is one-dimensional.', effect: 'cpu', ...sec, test: (c) => (effectiveRank(c.outputs[0]?.shape ?? []) <= 1 ? undefined : `output ${shapeText(c.outputs[0]!.shape)}`) },
    ],
  },
  { opcode: 'L2_NORMALIZATION', name: 'L2Normalization', ...sec },
  { opcode: 'LOGISTIC', name: 'Logistic', ...sec },
  {
    opcode: 'UNIDIRECTIONAL_SEQUENCE_LSTM',
    name: 'LSTM',
    since: 14,
    source: `${S.axisOps} (listed: "Unidirectional LSTM only"); runtime and TFLite op mapping unconfirmed`,
    confidence: 'UNCONFIRMED',
  },
  { opcode: 'MAXIMUM', name: 'Maximum', ...sec },
  { opcode: 'MAX_POOL_2D', name: 'MaxPool2d', ...sec, rules: [noFused] },
  {
    opcode: 'MEAN',
    name: 'Mean',
    ...sec,
    rules: [
      noBatch('CORAL-MEAN-BATCH', 'runtime 13+: No reduction in batch dimension.', 1),
      {
        id: 'CORAL-MEAN-Z',
        rule: 'runtime 13+: If a z-reduction, the z-dimension must be multiple of 4.',
        effect: 'cpu',
        ...sec,
        test: (c) => {
          const rank = c.inputs[0]?.shape.length ?? 0;
          const z = c.inputs[0]?.shape[rank - 1] ?? 0;
          return axes(c, 1)?.includes(rank - 1) && z % 4 !== 0 ? `reduces a z-dimension of ${z}` : undefined;
        },
      },
      {
        id: 'CORAL-MEAN-12',
        rule: 'runtime ≤12: Supports reduction along x- and/or y-dimensions only.',
        effect: 'cpu',
        source: TABLE,
        confidence: 'UNCONFIRMED',
        test: (c, config) => (config.runtime <= 12 && axes(c, 1)?.some((a) => a !== 1 && a !== 2) ? `axes ${String(axes(c, 1))} on runtime ${config.runtime}` : undefined),
      },
    ],
  },
  { opcode: 'MINIMUM', name: 'Minimum', ...sec },
  { opcode: 'MUL', name: 'Mul', ...sec },
  { opcode: 'PACK', name: 'Pack', ...sec, ...since(13), rules: [{ id: 'CORAL-PACK', rule: 'No packing in batch dimension.', effect: 'cpu', ...sec, test: (c) => (c.options['axis'] === 0 ? 'packs along axis 0' : undefined) }] },
  {
    opcode: 'PAD',
    name: 'Pad',
    ...sec,
    rules: [
      {
        id: 'CORAL-PAD',
        rule: 'runtime 13+: No padding in batch dimension.',
        effect: 'cpu',
        ...sec,
        test: (c) => {
          const pads = constValues(c.inputs[1]);
          return pads && (pads[0] !== 0 || pads[1] !== 0) ? `pads the batch dimension by [${pads[0]}, ${pads[1]}]` : undefined;
        },
      },
    ],
  },
  {
    opcode: 'PRELU',
    name: 'PReLU',
    ...sec,
    ...since(13),
    rules: [{ id: 'CORAL-PRELU', rule: 'Alpha must be 1-dimensional (only the innermost dimension can be >1 size).', effect: 'cpu', ...sec, fix: 'Keras PReLU with shared_axes=[1, 2]', test: (c) => (c.inputs[1] && c.inputs[1].shape.slice(0, -1).some((d) => d > 1) ? `alpha ${shapeText(c.inputs[1].shape)}` : undefined) }],
  },
  {
    opcode: 'QUANTIZE',
    name: 'Quantize',
    ...sec,
    ...since(13),
    rules: [
      {
        id: 'CORAL-G9',
        rule: 'A float→int8 QUANTIZE at the model input is not mapped; int8/uint8 model I/O avoids it.',
        effect: 'cpu',
        status: 'Operation is otherwise supported, but not mapped due to some unspecified limitation',
        fix: 'export with int8 or uint8 I/O',
        source: `${S.issue(13)}; github.com/google-ai-edge/litert-torch/issues/150`,
        confidence: 'SEC',
        test: (c) => (isFloat(c.inputs[0]) ? `${c.inputs[0]!.type} → ${c.outputs[0]?.type ?? '?'}` : undefined),
      },
    ],
  },
  { opcode: 'REDUCE_MAX', name: 'ReduceMax', ...sec, ...since(14), rules: [noBatch('CORAL-REDUCE-BATCH', 'Cannot operate on the batch dimension.', 1)] },
  { opcode: 'REDUCE_MIN', name: 'ReduceMin', ...sec, ...since(14), rules: [noBatch('CORAL-REDUCE-BATCH', 'Cannot operate on the batch dimension.', 1)] },
  { opcode: 'RELU', name: 'ReLU', ...sec },
  { opcode: 'RELU6', name: 'ReLU6', ...sec },
  { opcode: 'RELU_N1_TO_1', name: 'ReLUN1To1', ...sec },
  { opcode: 'RESHAPE', name: 'Reshape', ...sec },
  { opcode: 'RESIZE_BILINEAR', name: 'ResizeBilinear', ...sec, rules: [RESIZE_PRECISION] },
  { opcode: 'RESIZE_NEAREST_NEIGHBOR', name: 'ResizeNearestNeighbor', ...sec, rules: [RESIZE_PRECISION] },
  { opcode: 'RSQRT', name: 'Rsqrt', since: 14, source: `${TABLE}; ${S.issue(384)}`, confidence: 'UNCONFIRMED' },
  { opcode: 'SLICE', name: 'Slice', ...sec },
  {
    opcode: 'SOFTMAX',
    name: 'Softmax',
    ...sec,
    rules: [
      {
        id: 'CORAL-SOFTMAX',
        rule: 'Supports only 1-D input tensor with a max of 16,000 elements.',
        effect: 'cpu',
        fix: 'keep Softmax over at most 16,000 elements of one dimension (or leave it to the CPU after the last layer)',
        ...sec,
        test: (c) => {
          const shape = c.inputs[0]?.shape ?? [];
          if (effectiveRank(shape) > 1) return `input ${shapeText(shape)} is not 1-D`;
          return elementCount(shape) > 16000 ? `Softmax over ${elementCount(shape)} elements > 16,000` : undefined;
        },
      },
    ],
  },
  { opcode: 'SPACE_TO_DEPTH', name: 'SpaceToDepth', ...sec },
  { opcode: 'SPLIT', name: 'Split', ...sec, rules: [noBatch('CORAL-SPLIT', 'runtime 13+: No splitting in batch dimension.', 0, { confidence: 'UNCONFIRMED' })] },
  {
    opcode: 'SQUEEZE',
    name: 'Squeeze',
    ...sec,
    rules: [
      {
        id: 'CORAL-SQUEEZE-12',
        rule: 'runtime ≤12: Supported only when input tensor dimensions that have leading 1s (that is, no relayout needed).',
        effect: 'cpu',
        ...sec,
        test: (c, config) => {
          const shape = c.inputs[0]?.shape ?? [];
          const firstBig = shape.findIndex((d) => d > 1);
          return config.runtime <= 12 && firstBig >= 0 && shape.slice(firstBig).includes(1) ? `input ${shapeText(shape)} needs a relayout` : undefined;
        },
      },
    ],
  },
  {
    opcode: 'STRIDED_SLICE',
    name: 'StridedSlice',
    ...sec,
    rules: [
      {
        id: 'CORAL-STRIDED-SLICE',
        rule: 'Supported only when all strides are equal to 1 (that is, effectively a Stride op), and with ellipsis-axis-mask == 0, and new-axis-max == 0.',
        effect: 'cpu',
        ...sec,
        test: (c) => {
          const strides = constValues(c.inputs[3]);
          if (strides === undefined) return 'strides are not constant';
          if (strides.some((s) => s !== 1)) return `strides [${strides.join(', ')}]`;
          if (c.options['ellipsisMask'] !== 0 || c.options['newAxisMask'] !== 0) return `ellipsis_mask ${String(c.options['ellipsisMask'])}, new_axis_mask ${String(c.options['newAxisMask'])}`;
          return undefined;
        },
      },
    ],
  },
  { opcode: 'SUB', name: 'Sub', source: S.oldTable, confidence: 'SEC' },
  { opcode: 'SUM', name: 'Sum', since: 13, source: TABLE, confidence: 'UNCONFIRMED', rules: [noBatch('CORAL-SUM', 'Cannot operate on the batch dimension.', 1, { confidence: 'UNCONFIRMED' })] },
  { opcode: 'SQUARED_DIFFERENCE', name: 'Squared-difference', since: 14, source: TABLE, confidence: 'UNCONFIRMED' },
  { opcode: 'TANH', name: 'Tanh', ...sec },
  { opcode: 'TRANSPOSE', name: 'Transpose', since: 14, sinceConfidence: 'UNCONFIRMED', source: `mapped in compiler-16 logs (dbro/frigate-detector-edgetpu-yolo9 README); unsupported in 2020 (${S.issue(193)})`, confidence: 'SEC' },
  { opcode: 'TRANSPOSE_CONV', name: 'TransposeConv', since: 13, source: `${TABLE}; ${S.issue(147)}, ${S.issue(845)}`, confidence: 'UNCONFIRMED' },
  {
    opcode: 'CUSTOM:edgetpu-custom-op',
    name: 'edgetpu-custom-op',
    source: `${S.modelsIntro}: the compiler's output, one custom op holding the compiled Edge TPU segment`,
    confidence: 'SEC',
  },
];
