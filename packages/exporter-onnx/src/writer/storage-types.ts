import { QatkitError, type Graph, type Tensor } from '@qatkit/core';
import type { OnnxType } from './onnx-builder.js';
import type { OpsetFeatures } from './opsets.js';

/**
 * How tensors quantized to 4 bits or fewer are stored: 'auto' as INT4/UINT4 where the opset has
 * them (21+) and as int8/uint8 below; 'always' as INT4/UINT4 or not at all; 'never' as int8/uint8.
 */
export type Int4Storage = 'auto' | 'always' | 'never';
export const INT4_STORAGE: readonly Int4Storage[] = ['auto', 'always', 'never'];

/** The 4-bit levels each 8-bit IR dtype narrows to (ONNX INT4 is two's complement, UINT4 plain). */
const NARROW = {
  int8: { type: 'int4', min: -8, max: 7 },
  uint8: { type: 'uint4', min: 0, max: 15 },
} as const;

function narrowType(t: Tensor): (typeof NARROW)[keyof typeof NARROW] | undefined {
  const q = t.quantization;
  if (!q || q.bits > 4 || (t.dtype !== 'int8' && t.dtype !== 'uint8')) return undefined;
  return NARROW[t.dtype];
}

/**
 * The ONNX type of every IR tensor stored narrower than its IR dtype: INT4/UINT4 for the ones
 * quantized to ≤ 4 bits when `mode` and the opset allow (2- and 3-bit tensors too: int2 arrives
 * only with opset 25). A tensor's zero point and constant data must then lie in the 4-bit range;
 * they do for anything a scheme quantized to 4 bits, so a value outside it is a broken graph.
 */
export function narrowStorage(graph: Graph, features: OpsetFeatures, mode: Int4Storage): Map<string, OnnxType> {
  const types = new Map<string, OnnxType>();
  if (mode === 'never') return types;
  for (const t of Object.values(graph.tensors)) {
    const narrow = narrowType(t);
    if (!narrow) continue;
    const q = t.quantization!;
    if (!features.int4) {
      if (mode === 'auto') continue;
      throw new QatkitError(
        'INVALID_OPTION',
        `tensor "${t.name}" is ${q.bits}-bit; int4 storage needs opset 21 (QuantizeLinear/DequantizeLinear take INT4/UINT4 from there): ` +
          `export with { opset: 21 }, or with { int4: 'auto' } to store it as ${t.dtype} at opset ${features.opset}`,
      );
    }
    const outside = [...q.zeroPoint, ...(t.data ?? [])].find((v) => v < narrow.min || v > narrow.max);
    if (outside !== undefined) {
      throw new QatkitError(
        'UNSUPPORTED_OP',
        `tensor "${t.name}" is quantized to ${q.bits} bits but holds ${outside} (zero point or data), outside ${narrow.type} [${narrow.min}, ${narrow.max}]; ` +
          `export with { int4: 'never' } to store it as ${t.dtype}`,
      );
    }
    types.set(t.name, narrow.type);
  }
  return types;
}

/** Packs 4-bit values two to a byte, element 2i in the low nibble and 2i+1 in the high one (ONNX IR.md; an odd count leaves the last high nibble 0). */
export function packNibbles(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(values.length / 2));
  for (let i = 0; i < values.length; i++) out[i >> 1] = out[i >> 1]! | ((values[i]! & 0x0f) << ((i & 1) * 4));
  return out;
}
