import { constValues, isPerAxis, shapeText, type OpContext } from '@qatkit/core';
import { src, type Rule } from './general.js';

const r = (id: string, text: string, test: Rule['test']): Rule => ({ id, rule: text, effect: 'cpu', ...src, test });
const n = (c: OpContext, key: string): number => Number(c.options[key] ?? 1);

/** Kernel, stride and weight constraints shared by Vela's convolution and pooling rows. */
export const stride3 = r('VELA-STRIDE', 'Stride values for both width and height must be in the range [1, 3].', (c) => {
  const [h, w] = [n(c, 'strideH'), n(c, 'strideW')];
  return h < 1 || h > 3 || w < 1 || w > 3 ? `stride ${h}×${w}` : undefined;
});

export const dilatedKernel = r('VELA-DILATED-KERNEL', 'Dilated kernel height must be in the range [1, 64]; dilated kernel width × height must be in the range [1, 4096].', (c) => {
  const w = c.inputs[1]?.shape ?? [];
  const kh = c.op.opcode === 'TRANSPOSE_CONV' || c.op.opcode === 'CONV_2D' || c.op.opcode === 'DEPTHWISE_CONV_2D' ? (w[1] ?? 1) : 1;
  const kw = w[2] ?? 1;
  const dh = (kh - 1) * n(c, 'dilationHFactor') + 1;
  const dw = (kw - 1) * n(c, 'dilationWFactor') + 1;
  return dh > 64 ? `dilated kernel height ${dh} > 64` : dh * dw > 4096 ? `dilated kernel ${dh}×${dw} = ${dh * dw} > 4096` : undefined;
});

export const constWeights = r('VELA-WEIGHTS', 'Weight tensor must be 8-bit and constant.', (c) => {
  const w = c.inputs[1];
  return !w ? 'no weights' : !w.hasData ? 'weights are computed at run time' : !['INT8', 'UINT8'].includes(w.type) ? `${w.type} weights` : undefined;
});

export const bias40 = r('VELA-BIAS', 'Optional Bias tensor must be of shape: 1D, of type int32 or int64, with values that fit in 40 bits.', (c) => {
  const b = c.op.opcode === 'TRANSPOSE_CONV' ? c.inputs[3] : c.inputs[2];
  if (!b) return undefined;
  if (b.shape.length !== 1) return `bias ${shapeText(b.shape)} is not 1-D`;
  if (!['INT32', 'INT64'].includes(b.type)) return `${b.type} bias`;
  const v = constValues(b);
  return v?.some((x) => Math.abs(x) >= 2 ** 39) ? 'bias values beyond 40 bits' : undefined;
});

/** Vela caps the sum of |weight − zero point| per output channel; without the weight values, an upper bound stands in. */
export const weightSum = r('VELA-WEIGHT-SUM', 'The sum of the weights cannot exceed 8323072.', (c) => {
  const w = c.inputs[1];
  if (!w) return undefined;
  const perChannel = w.shape.length > 0 ? w.shape.reduce((a, b) => a * b, 1) / Math.max(1, w.shape[c.op.opcode === 'DEPTHWISE_CONV_2D' ? w.shape.length - 1 : 0]!) : 0;
  const bound = perChannel * 255;
  return bound > 8323072 ? `up to ${bound} for a kernel of ${perChannel} weights per output channel` : undefined;
});

export const depthMultiplier = r('VELA-DW-MULTIPLIER', 'depth_multiplier > 1 only if IFM channels == 1 and OFM channels == depth_multiplier.', (c) => {
  const m = n(c, 'depthMultiplier');
  const ifmC = c.inputs[0]?.shape.at(-1) ?? 0;
  const ofmC = c.outputs[0]?.shape.at(-1) ?? 0;
  return m > 1 && !(ifmC === 1 && ofmC === m) ? `depth multiplier ${m} with ${ifmC} input and ${ofmC} output channels` : undefined;
});

export const poolKernel = r('VELA-POOL', 'Stride 1..3; kernel height in [1, 256] and width × height in [1, 65536] (VALID), width and height in [1, 8] with SAME padding.', (c) => {
  const [fh, fw] = [n(c, 'filterHeight'), n(c, 'filterWidth')];
  if (c.options['padding'] === 'SAME' && c.op.opcode === 'AVERAGE_POOL_2D' && (fh > 8 || (fw > 8 && fw !== n(c, 'strideW')))) return `SAME padding with a ${fh}×${fw} kernel`;
  return fh > 256 ? `kernel height ${fh} > 256` : fh * fw > 65536 ? `kernel ${fh}×${fw} > 65536` : undefined;
});

export const matchingTypes = r('VELA-TYPES-MATCH', 'IFM and OFM data types must match.', (c) => (c.inputs[0] && c.outputs[0] && c.inputs[0].type !== c.outputs[0].type ? `${c.inputs[0].type} → ${c.outputs[0].type}` : undefined));

export const shapeMatch = r('VELA-SHAPE-MATCH', 'At least one Input\'s shape must match the OFM\'s shape.', (c) => {
  const out = shapeText(c.outputs[0]?.shape ?? []);
  return c.inputs.some((t) => t && shapeText(t.shape) === out) ? undefined : `no input has the output shape ${out}`;
});

export const sameQuant = (id: string, text: string): Rule =>
  r(id, text, (c) => {
    const key = (t: OpContext['outputs'][number] | undefined) => `${t?.quantization?.scale[0]}/${t?.quantization?.zeroPoint[0]}`;
    return c.inputs.filter((t) => t && !t.hasData).some((t) => key(t) !== key(c.outputs[0])) || isPerAxis(c.outputs[0]) ? 'input and output quantization differ' : undefined;
  });

export const constInput = (id: string, k: number, what: string): Rule => r(id, `${what} must be constant.`, (c) => (c.inputs[k] && !c.inputs[k]!.hasData ? `${what} is computed at run time` : undefined));
