import { fusedActivation, isFloat, isPerAxis, narrowStorage, shapeText, tensorText, type ModelTensor, type OpContext, type TargetRule } from '@qatkit/core';

export interface EthosUConfig {
  /** Vela accelerator config, e.g. 'ethos-u55-256' (rules are the same for U55 and U65 in Vela 3.10). */
  readonly accelerator: string;
}
export type Rule = TargetRule<EthosUConfig>;

export const VELA = 'github.com/nxp-imx/ethos-u-vela @ a6f6566 (Vela 3.10.0) SUPPORTED_OPS.md';
export const src = { source: VELA, confidence: 'SRC' } as const;

const BINARY = new Set(['ADD', 'SUB', 'MUL', 'MAXIMUM', 'MINIMUM', 'SQUARED_DIFFERENCE']);
const WEIGHTED = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']);

/** What Vela calls IFM, IFM2, weights and OFM: the tensors its generic constraints look at (not biases or shape operands). */
export function mainTensors(c: OpContext): ModelTensor[] {
  const input = c.op.opcode === 'TRANSPOSE_CONV' ? c.inputs[2] : c.inputs[0];
  const second = BINARY.has(c.op.opcode) || WEIGHTED.has(c.op.opcode) ? c.inputs[1] : undefined;
  return [input, second, c.outputs[0]].filter((t): t is ModelTensor => t !== undefined);
}

const INT32_OPS = new Set(['ADD', 'ARG_MAX', 'MUL', 'SHAPE', 'SUB', 'TRANSPOSE']);
const NO_QUANT_OK = new Set(['ARG_MAX', 'SHAPE', 'TRANSPOSE']);
const BATCH_OK = new Set(['FULLY_CONNECTED', 'RESHAPE', 'SHAPE', 'SLICE', 'SOFTMAX', 'SPLIT', 'SPLIT_V', 'SQUEEZE', 'STRIDED_SLICE', 'UNPACK']);
const SCALAR_OK = new Set(['ADD', 'ARG_MAX', 'EXPAND_DIMS', 'MAXIMUM', 'MEAN', 'MINIMUM', 'MUL', 'QUANTIZE', 'SPLIT', 'SPLIT_V', 'SUB']);
const FUSED_OK = new Set(['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'TANH']);
const CUSTOM_NPU = 'CUSTOM';

const rule = (id: string, text: string, test: Rule['test'], extra: Partial<Rule> = {}): Rule => ({ id, rule: text, effect: 'cpu', ...src, ...extra, test });
const skipCustom = (c: OpContext) => c.op.opcode === CUSTOM_NPU;

/** Vela's generic constraints (SUPPORTED_OPS.md, "Generic Constraints"). */
export const GENERAL: readonly Rule[] = [
  rule(
    'VELA-QUANTISED',
    'In order to be accelerated by the Ethos-U NPU the network operators must be quantised to either 8-bit (unsigned or signed) or 16-bit (signed).',
    (c) => {
      const t = mainTensors(c).find(isFloat);
      return skipCustom(c) || !t ? undefined : `${t.type} tensor "${t.name}"`;
    },
    { fix: 'quantize the model to int8 (or 16x8)', source: `${VELA}; README.md` },
  ),
  rule('VELA-TYPES', 'Tensors must be of type: int16, int32, int8, uint8 (int32 only for ADD, ARG_MAX, MUL, SHAPE, SUB, TRANSPOSE).', (c) => {
    if (skipCustom(c) || c.op.opcode === 'ARG_MAX') return undefined;
    const t = mainTensors(c).find((x) => !isFloat(x) && (!['INT16', 'INT32', 'INT8', 'UINT8'].includes(x.type) || (x.type === 'INT32' && !INT32_OPS.has(c.op.opcode))));
    return t ? `${t.type} tensor "${t.name}" in ${c.op.opcode}` : undefined;
  }),
  rule('VELA-RANK', 'Input(s) and Output tensors must not be greater than 4D.', (c) => {
    const t = mainTensors(c).find((x) => x.shape.length > 4);
    return skipCustom(c) || !t ? undefined : `tensor ${shapeText(t.shape)} is ${t.shape.length}D`;
  }),
  rule('VELA-DIMS', 'Tensor dimensions must be in the range [1, 65535].', (c) => {
    const t = mainTensors(c).find((x) => x.shape.some((d) => d < 1 || d > 65535));
    return skipCustom(c) || !t ? undefined : `tensor ${shapeText(t.shape)}`;
  }),
  rule('VELA-SCALAR', 'Output tensors cannot be scalar; scalar inputs are only valid for ADD, ARG_MAX, EXPAND_DIMS, MAXIMUM, MEAN, MINIMUM, MUL, QUANTIZE, SPLIT, SPLIT_V, SUB.', (c) => {
    if (skipCustom(c) || c.op.opcode === 'QUANTIZE') return undefined;
    if (c.outputs.some((t) => t.shape.length === 0)) return 'scalar output';
    return !SCALAR_OK.has(c.op.opcode) && mainTensors(c).some((t) => t.shape.length === 0) ? 'scalar input' : undefined;
  }),
  rule('VELA-QUANT-PARAMS', 'Input(s), Output and Weight tensors must have quantization parameters; scales must be finite.', (c) => {
    if (skipCustom(c) || NO_QUANT_OK.has(c.op.opcode)) return undefined;
    const t = mainTensors(c).find((x) => !isFloat(x) && (!x.quantization || x.quantization.scale.some((s) => !Number.isFinite(s))));
    return t ? `tensor "${t.name}" ${tensorText(t)} has no (finite) quantization` : undefined;
  }),
  rule('VELA-PER-AXIS', 'Per-axis quantization is only supported for the following op types: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV.', (c) => {
    if (skipCustom(c) || c.op.opcode === 'CONV_2D' || c.op.opcode === 'DEPTHWISE_CONV_2D' || c.op.opcode === 'TRANSPOSE_CONV') return undefined;
    const t = mainTensors(c).find(isPerAxis);
    return t ? `per-axis tensor "${t.name}" (${t.quantization!.scale.length} scales)` : undefined;
  }, { fix: 'quantize FULLY_CONNECTED and other weights per tensor (qatkit does by default)' }),
  rule('VELA-BATCH', 'IFM Tensor batch size must be 1 (except FULLY_CONNECTED, RESHAPE, SHAPE, SLICE, SOFTMAX, SPLIT, SPLIT_V, SQUEEZE, STRIDED_SLICE, UNPACK).', (c) => {
    const ifm = mainTensors(c)[0];
    return skipCustom(c) || BATCH_OK.has(c.op.opcode) || !ifm || ifm.shape.length !== 4 || ifm.shape[0] === 1 ? undefined : `IFM batch ${ifm.shape[0]}`;
  }, { fix: 'export with batch 1' }),
  rule('VELA-FUSED', 'The fused activation function (if present) must be one of LOGISTIC, RELU, RELU6, RELU_N1_TO_1, TANH, and the output then int16, int8 or uint8.', (c) => {
    const f = fusedActivation(c);
    if (f === 'NONE') return undefined;
    if (!FUSED_OK.has(f)) return `fused ${f}`;
    return ['INT16', 'INT8', 'UINT8'].includes(c.outputs[0]?.type ?? '') ? undefined : `fused ${f} with a ${c.outputs[0]?.type ?? '?'} output`;
  }),
  // Stays on the NPU ('info'): n-bit values are valid int8 data, only no narrower kernel exists.
  rule(
    'VELA-NBIT',
    'Operators quantised to 8-bit (signed or unsigned) or 16-bit (signed) are accelerated; there is no narrower type, so n-bit values stored as int8 run on the 8-bit kernels: no speed gain on this device.',
    (c) => (skipCustom(c) ? undefined : narrowStorage(c)),
    { effect: 'info', source: `${VELA}; README.md (8-bit or 16-bit; "qatkit.bits" metadata is not read)` },
  ),
];
