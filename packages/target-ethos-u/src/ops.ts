import { constValues, shapeText, type OpContext, type OpSupportRow } from '@qatkit/core';
import { src, VELA, type EthosUConfig, type Rule } from './general.js';
import { bias40, constInput, constWeights, depthMultiplier, dilatedKernel, matchingTypes, poolKernel, sameQuant, shapeMatch, stride3, weightSum } from './kernel-rules.js';

type Row = OpSupportRow<EthosUConfig>;
const r = (id: string, text: string, test: Rule['test']): Rule => ({ id, rule: text, effect: 'cpu', ...src, test });
const row = (opcode: string, rules: Rule[] = []): Row => ({ opcode, ...src, rules });

const broadcast = r('VELA-BROADCAST', 'Broadcasting is only allowed for rank indices with dimension 1, from either IFM1 or IFM2.', (c) => {
  const [a, b] = [c.inputs[0]?.shape ?? [], c.inputs[1]?.shape ?? []];
  const n = Math.max(a.length, b.length);
  for (let i = 1; i <= n; i++) {
    const [x, y] = [a[a.length - i] ?? 1, b[b.length - i] ?? 1];
    if (x !== y && x !== 1 && y !== 1) return `${shapeText(a)} and ${shapeText(b)} differ in a dimension of neither size 1`;
  }
  return undefined;
});
const elementwise = (extra: Rule[] = []) => [shapeMatch, broadcast, ...extra];

const meanRule = r('VELA-MEAN', 'Input ≥ 2-D; 3-D/4-D: batch only if batch = 1, depth only if one of H, W, C is 1; product of reduced axes ≤ 16,777,216 (int8) / 8,388,608 (uint8) / 65,536 (int16); reduced W and C ≤ 4096.', (c) => {
  const shape = c.inputs[0]?.shape ?? [];
  const axes = constValues(c.inputs[1])?.map((a) => (a < 0 ? a + shape.length : a));
  if (shape.length < 2) return `input ${shapeText(shape)}`;
  if (!axes) return 'axes are not constant';
  const limit = { INT8: 16777216, UINT8: 8388608, INT16: 65536 }[c.inputs[0]!.type as 'INT8'] ?? 16777216;
  const product = axes.reduce((p, a) => p * (shape[a] ?? 1), 1);
  if (product > limit) return `reduces ${product} elements > ${limit}`;
  if (shape.length >= 3 && axes.includes(0) && shape[0] !== 1) return 'reduces a batch > 1';
  const [h, w, ch] = shape.slice(-3) as [number, number, number];
  if (axes.includes(shape.length - 1) && shape.length >= 3 && h !== 1 && w !== 1 && ch !== 1) return 'reduces depth with H, W and C all > 1';
  if ((axes.includes(shape.length - 2) && w > 4096) || (axes.includes(shape.length - 1) && ch > 4096)) return 'reduced width or depth > 4096';
  return undefined;
});

const padRule = r('VELA-PAD', 'Exactly 2 inputs; constant padding of shape [3, 2] or [4, 2], int32/int64; pads width and height only.', (c) => {
  const pads = constValues(c.inputs[1]);
  const shape = c.inputs[1]?.shape ?? [];
  if (c.inputs.length !== 2 || !pads) return 'padding is not a constant second input';
  if (shape[1] !== 2 || (shape[0] !== 3 && shape[0] !== 4)) return `padding ${shapeText(shape)}`;
  const outer = shape[0] === 4 ? [pads[0], pads[1], pads[6], pads[7]] : [pads[4], pads[5]];
  return outer.some((p) => p !== 0) ? 'pads a dimension other than width and height' : undefined;
});

const resizeRule = (halfPixel: boolean) =>
  r('VELA-RESIZE', 'IFM W,H both 1, IFM == OFM, or equal W/H scaling of 2x/4x/8x (align_corners adjusts the sizes by 1); not both align_corners and half_pixel_centers.', (c) => {
    const [, ih, iw] = c.inputs[0]?.shape ?? [];
    const [, oh, ow] = c.outputs[0]?.shape ?? [];
    if (c.options['alignCorners'] === true && c.options['halfPixelCenters'] === true) return 'align_corners and half_pixel_centers';
    if (ih === 1 && iw === 1) return undefined;
    if (ih === oh && iw === ow) return undefined;
    const ac = c.options['alignCorners'] === true ? 1 : 0;
    const k = ((oh ?? 0) - ac) / ((ih ?? 1) - ac);
    const ok = [2, 4, 8].includes(k) && ((ow ?? 0) - ac) / ((iw ?? 1) - ac) === k;
    if (!ok) return `${ih}×${iw} → ${oh}×${ow} is not a 2x/4x/8x scaling`;
    return halfPixel && c.options['halfPixelCenters'] === true && k !== 2 ? 'half_pixel_centers beyond 2x' : undefined;
  });

const PERMS: Readonly<Record<number, readonly string[]>> = { 2: ['1,0'], 3: ['1,0,2', '0,2,1'], 4: ['0,2,1,3', '0,1,3,2'] };
const transposeRule = r('VELA-TRANSPOSE', 'Permutation constant with RANK(IFM) elements; supported: rank 2 WxC→CxW; rank 3 HxWxC→WxHxC, 1xWxC→1xCxW, Hx1xC→Cx1xH; rank 4 1xHxWxC→1xWxHxC, 1x1xWxC→1x1xCxW, 1xHx1xC→1xCx1xW.', (c) => {
  const perm = constValues(c.inputs[1]);
  const rank = c.inputs[0]?.shape.length ?? 0;
  if (!perm || perm.length !== rank) return 'permutation is not a constant of the input rank';
  return PERMS[rank]?.includes(perm.join(',')) ? undefined : `permutation [${perm.join(', ')}] of ${shapeText(c.inputs[0]!.shape)}`;
});

const stridedSlice = r('VELA-STRIDED-SLICE', 'Exactly 4 inputs, begin/end/strides constant; ellipsis_mask 0; not both new_axis_mask and shrink_axis_mask; all strides 1.', (c) => {
  const strides = constValues(c.inputs[3]);
  if (c.inputs.length !== 4 || [1, 2, 3].some((k) => !c.inputs[k]?.hasData)) return 'begin, end or strides not constant';
  if (c.options['ellipsisMask'] !== 0) return 'ellipsis_mask set';
  if (c.options['newAxisMask'] !== 0 && c.options['shrinkAxisMask'] !== 0) return 'both new_axis_mask and shrink_axis_mask';
  return strides?.some((s) => s !== 1) ? `strides [${strides.join(', ')}]` : undefined;
});

const lstmRule = r('VELA-LSTM', 'IFM int8/int16; IFM/OFM 3-D; 24 inputs; 5 intermediates; variable state tensors; no CIFG, peephole, projection or normalisation; all input/recurrent weights present; recurrent weights 2-D.', (c: OpContext) => {
  if (c.op.inputs.length !== 24) return `${c.op.inputs.length} inputs`;
  if ((c.op.intermediates?.length ?? 0) !== 5) return `${c.op.intermediates?.length ?? 0} intermediates`;
  if (c.inputs[0]?.shape.length !== 3 || c.outputs[0]?.shape.length !== 3) return 'IFM/OFM not 3-D';
  if (![1, 2, 3, 4, 5, 6, 7, 8].every((k) => c.inputs[k] !== undefined)) return 'missing input or recurrent weights (CIFG)';
  if ([9, 10, 11, 16, 17, 20, 21, 22, 23].some((k) => c.inputs[k] !== undefined)) return 'peephole, projection or layer normalisation';
  if (![18, 19].every((k) => c.inputs[k]?.isVariable)) return 'state tensors are not variable';
  return [5, 6, 7, 8].some((k) => c.inputs[k]!.shape.length !== 2) ? 'recurrent weights not 2-D' : undefined;
});

/** Vela 3.10's TFLite operator rows (SUPPORTED_OPS.md); anything else stays on the Cortex-M CPU. */
export const OPS: readonly Row[] = [
  row('ABS', [shapeMatch, matchingTypes]),
  ...['ADD', 'SUB', 'MUL'].map((op) => row(op, elementwise([r('VELA-SIGNED', 'Both input types match; signed IFM → signed OFM; unsigned IFM → OFM of the same type or int32.', (c) => (c.inputs[0]?.type !== c.inputs[1]?.type ? 'input types differ' : undefined))]))),
  row('ARG_MAX', [r('VELA-ARGMAX', 'IFM int8/uint8, along the depth axis only, IFM depth ≤ 127.', (c) => ((c.inputs[0]?.shape.at(-1) ?? 0) > 127 ? 'IFM depth > 127' : undefined))]),
  row('AVERAGE_POOL_2D', [matchingTypes, stride3, poolKernel]),
  row('MAX_POOL_2D', [matchingTypes, stride3, poolKernel]),
  row('CONCATENATION', [r('VELA-CONCAT', 'All inputs have the OFM rank; dimensions match except the axis.', (c) => (c.inputs.some((t) => t && t.shape.length !== c.outputs[0]?.shape.length) ? 'an input rank differs from the output' : undefined))]),
  row('CONV_2D', [stride3, dilatedKernel, constWeights, weightSum, bias40]),
  row('DEPTHWISE_CONV_2D', [stride3, dilatedKernel, constWeights, weightSum, bias40, depthMultiplier]),
  row('TRANSPOSE_CONV', [dilatedKernel, constWeights, weightSum, bias40, r('VELA-TCONV-STRIDE', 'Stride 1x1 or 2x2.', (c) => (['1x1', '2x2'].includes(`${String(c.options['strideH'])}x${String(c.options['strideW'])}`) ? undefined : `stride ${String(c.options['strideH'])}x${String(c.options['strideW'])}`))]),
  row('EXP', [shapeMatch, matchingTypes]),
  ...['EXPAND_DIMS', 'SQUEEZE'].map((op) => row(op, [sameQuant('VELA-RESHAPE-QUANT', 'Input and output quantization must match.')])),
  row('RESHAPE', [sameQuant('VELA-RESHAPE-QUANT', 'Input and output quantization must match.'), constInput('VELA-RESHAPE-SHAPE', 1, 'Shape')]),
  row('FULLY_CONNECTED', [constWeights, weightSum, bias40, r('VELA-FC-OUT', 'The output tensor(s) must have 2D shape (with keep_num_dims, IFM and OFM of the same rank).', (c) => (c.options['keepNumDims'] === true ? (c.inputs[0]?.shape.length === c.outputs[0]?.shape.length ? undefined : 'keep_num_dims with different ranks') : c.outputs[0]?.shape.length === 2 ? undefined : `output ${shapeText(c.outputs[0]?.shape ?? [])}`))]),
  row('HARD_SWISH', [matchingTypes]),
  row('LEAKY_RELU', [shapeMatch, matchingTypes]),
  ...['LOGISTIC', 'TANH', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'PRELU', 'PACK', 'UNPACK', 'QUANTIZE', 'SHAPE'].map((op) => row(op)),
  ...['MAXIMUM', 'MINIMUM'].map((op) => row(op, elementwise([matchingTypes, sameQuant('VELA-MAXMIN-QUANT', 'Both input quantizations must equal the OFM quantization.')]))),
  row('MEAN', [meanRule]),
  row('PAD', [padRule]),
  row('RESIZE_BILINEAR', [resizeRule(true)]),
  row('RESIZE_NEAREST_NEIGHBOR', [resizeRule(false)]),
  row('RSQRT', [shapeMatch, matchingTypes]),
  row('SLICE', [constInput('VELA-SLICE-BEGIN', 1, 'Begin'), constInput('VELA-SLICE-SIZE', 2, 'Size')]),
  row('SOFTMAX', [matchingTypes, r('VELA-SOFTMAX', 'IFM and OFM shapes match; beta > 0.', (c) => (shapeText(c.inputs[0]?.shape ?? []) !== shapeText(c.outputs[0]?.shape ?? []) ? 'shapes differ' : Number(c.options['beta'] ?? 1) <= 0 ? 'beta ≤ 0' : undefined))]),
  row('SPLIT', [constInput('VELA-SPLIT-AXIS', 0, 'Axis')]),
  row('SPLIT_V', [constInput('VELA-SPLITV-SIZES', 1, 'Size splits')]),
  row('SQUARED_DIFFERENCE', [shapeMatch]),
  row('STRIDED_SLICE', [stridedSlice]),
  row('TRANSPOSE', [transposeRule]),
  row('UNIDIRECTIONAL_SEQUENCE_LSTM', [matchingTypes, lstmRule]),
  { opcode: 'CUSTOM:ethos-u', name: 'ethos-u', source: `${VELA}; README.md: Vela replaces each NPU-supported run with an ethos-u custom operator (already compiled)`, confidence: 'SRC' },
];
