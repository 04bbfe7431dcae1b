import { activations, effectiveRank, isFloat, narrowStorage, quantizationRefusal, shapeText, tensorText, type OpContext, type TargetRule } from '@qatkit/core';
import { S } from './sources.js';

export interface EdgeTpuConfig {
  /** Edge TPU runtime version the model is compiled for (compiler 16 targets 14). */
  readonly runtime: number;
}

type Rule = TargetRule<EdgeTpuConfig>;

const EDGE = new Set(['QUANTIZE', 'DEQUANTIZE']);

/** Operands that fix an output's shape; computed at run time, they make tensors dynamic-sized. */
const SHAPE_OPERANDS: Readonly<Record<string, readonly number[]>> = {
  RESHAPE: [1],
  RESIZE_BILINEAR: [1],
  RESIZE_NEAREST_NEIGHBOR: [1],
  TRANSPOSE: [1],
  PAD: [1],
  PADV2: [1],
  MEAN: [1],
  SUM: [1],
  REDUCE_MAX: [1],
  REDUCE_MIN: [1],
  EXPAND_DIMS: [1],
  SLICE: [1, 2],
  STRIDED_SLICE: [1, 2, 3],
  TILE: [1],
  TRANSPOSE_CONV: [0],
  SPLIT: [0],
  BROADCAST_TO: [1],
  FILL: [0],
};

/** The compiler's TFLite cannot parse these op versions: the whole compile fails (CORAL-G5). */
const UNPARSEABLE: readonly { opcode: string; version: number; maxRuntime?: number; issue: number }[] = [
  { opcode: 'TRANSPOSE_CONV', version: 4, issue: 845 },
  { opcode: 'DEPTH_TO_SPACE', version: 2, issue: 386 },
  { opcode: 'RSQRT', version: 2, maxRuntime: 13, issue: 384 },
];

function nonUnitOuter(shape: readonly number[]): number | undefined {
  return shape.length > 3 ? shape.slice(0, -3).find((d) => d > 1) : undefined;
}

/** Rules for every op (shared/reference/targets.md §1.1). */
export const GENERAL: readonly Rule[] = [
  {
    id: 'CORAL-G6',
    rule: 'Tensor parameters are quantized (8-bit fixed-point numbers; int8 or uint8). Float or hybrid (dynamic-range) models are rejected.',
    effect: 'blocks',
    status: 'Model not quantized',
    fix: 'quantize the whole model to int8: QAT with qatkit, or full-integer post-training quantization with a representative dataset',
    source: `${S.modelsIntro} quoted in ${S.issue(594)}; error text in ${S.issue(222)}`,
    confidence: 'SEC',
    test: (c) => {
      if (EDGE.has(c.op.opcode)) return undefined;
      const t = activations(c).find(isFloat);
      return t ? `float tensor "${t.name}" ${tensorText(t)}` : undefined;
    },
  },
  {
    id: 'CORAL-G7',
    rule: 'Only int8/uint8 data is accelerated: int16 activations (16x8 quantization) and other integer types are not.',
    effect: 'cpu',
    status: 'Operation is working on an unsupported data type',
    fix: 'quantize activations to int8 (8x8), not 16x8',
    source: `${S.issue(708)} (status line), ${S.issue(594)} (maintainer: int8 only)`,
    confidence: 'SEC',
    test: (c) => {
      const t = activations(c, false).find((x) => !isFloat(x) && x.type !== 'INT8' && x.type !== 'UINT8');
      return t ? `${t.type} tensor "${t.name}" ${shapeText(t.shape)}` : undefined;
    },
  },
  {
    id: 'CORAL-G4',
    rule: 'Tensors are either 1-, 2-, or 3-dimensional. If a tensor has more than 3 dimensions, then only the 3 innermost dimensions may have a size greater than 1.',
    effect: 'cpu',
    status: 'Tensor has unsupported rank (up to 3 innermost dimensions mapped)',
    fix: 'export with batch 1 and at most 3 non-unit inner dimensions (reshape higher-rank tensors)',
    source: `${S.modelsIntro} quoted in ${S.issue(594)}; ${S.axisTips}; status line in ${S.issue(708)}`,
    confidence: 'SEC',
    test: (c) => {
      const t = activations(c).find((x) => nonUnitOuter(x.shape) !== undefined);
      return t ? `tensor "${t.name}" ${shapeText(t.shape)} has size ${nonUnitOuter(t.shape)} outside its 3 innermost dimensions` : undefined;
    },
  },
  {
    id: 'CORAL-G2',
    rule: 'Tensor sizes are constant at compile-time (no dynamic sizes).',
    effect: 'blocks',
    status: 'Attempting to use a delegate that only supports static-sized tensors with a graph that has dynamic-sized tensors.',
    fix: 'make shape operands constants (fixed input shape, batch 1) before converting',
    source: `${S.modelsIntro} quoted in ${S.issue(594)}; error text in ${S.issue(829)}, ${S.issue(831)}`,
    confidence: 'SEC',
    test: (c) => {
      const i = (SHAPE_OPERANDS[c.op.opcode] ?? []).find((k) => c.inputs[k] !== undefined && !c.inputs[k]!.hasData);
      return i === undefined ? undefined : `${c.op.opcode} input ${i} ("${c.inputs[i]!.name}") is computed at run time`;
    },
  },
  {
    id: 'CORAL-G5',
    rule: 'The operation must be a TFLite op version the compiler knows; otherwise the flatbuffer fails to parse and the whole compile fails.',
    effect: 'blocks',
    status: "Didn't find op for builtin opcode",
    fix: 'convert with an older TensorFlow, or replace the op',
    source: `${S.issue(845)}, ${S.issue(386)}, ${S.issue(384)}, ${S.issue(147)}`,
    confidence: 'SEC',
    test: (c, config) => {
      const bad = UNPARSEABLE.find((u) => u.opcode === c.op.opcode && c.op.version >= u.version && (u.maxRuntime === undefined || config.runtime <= u.maxRuntime));
      return bad ? `Didn't find op for builtin opcode '${c.op.opcode}' version '${c.op.version}' (${S.issue(bad.issue)})` : undefined;
    },
  },
  {
    id: 'TFLITE-QUANT-DIM',
    rule: 'quantized_dimension must be in range [0, rank), and a per-axis tensor needs one scale per slice (TFLite interpreter).',
    effect: 'blocks',
    status: 'Compilation failed: Model failed in Tflite interpreter. Please ensure model can be loaded/run in Tflite interpreter.',
    fix: 'rewrite the tensor\'s quantized_dimension to a valid axis (0 for a 1-D bias)',
    source: S.interpreter,
    // The check is in current TFLite; which TFLite the compiler embeds is not known.
    confidence: 'UNCONFIRMED',
    test: (c) => quantizationRefusal(c),
  },
  {
    // Stays on the Edge TPU ('info'): the values fit int8, only the narrowness is not used.
    id: 'CORAL-NBIT',
    rule: 'Tensor parameters are 8-bit fixed-point numbers (int8 or uint8); the Edge TPU has no narrower type, so n-bit values stored as int8 run on the 8-bit kernels: no size or speed gain on this device.',
    effect: 'info',
    source: `${S.modelsIntro} quoted in ${S.issue(594)} (8-bit only); the compiler does not read qatkit's "qatkit.bits" metadata`,
    confidence: 'SEC',
    test: (c) => narrowStorage(c),
  },
];

/** For rows: the op's effective (non-unit) rank. */
export const rankOf = (c: OpContext, k: number): number => effectiveRank(c.inputs[k]?.shape ?? []);
