import type { TensorData } from '@qatkit/core';

/**
 * Where a tensor's dimensions sit in the ONNX file. The IR is NHWC; ONNX's Conv, pools and Resize
 * want NCHW. Rank-4 activations are stored as 'nchw' between ops that work channel-first, and a
 * Transpose is written only where a tensor crosses to an op that needs the IR order (Reshape,
 * FullyConnected on a rank-4 input, the model's NHWC inputs and outputs): once per tensor and
 * layout, never around every op.
 * - 'ir': ONNX dims equal the IR dims;
 * - 'nchw': a rank-4 tensor whose ONNX dims are the IR dims taken in the order NCHW_FROM_NHWC;
 * - 'nchw-flat': a [N, H·W·C] Flatten output whose features are in C, H, W order: written only
 *   when every consumer is a FullyConnected, which takes its weight columns in that order instead
 *   (so a Flatten → Dense costs no Transpose and onnxruntime's QDQ fusion stays unbroken).
 */
export type Layout = 'ir' | 'nchw' | 'nchw-flat';

/** ONNX dim i is IR dim NCHW_FROM_NHWC[i]. */
export const NCHW_FROM_NHWC: readonly number[] = [0, 3, 1, 2];
/** The inverse: back from NCHW to NHWC. */
export const NHWC_FROM_NCHW: readonly number[] = [0, 2, 3, 1];

const identity = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

/** The permutation from IR dims to ONNX dims for a tensor of `rank` stored in `layout`. */
export function permOf(layout: Layout, rank: number): readonly number[] {
  return layout === 'nchw' && rank === 4 ? NCHW_FROM_NHWC : identity(rank);
}

export const normalizeAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** The ONNX axis of IR axis `axis` for a tensor of `rank` stored in `layout`. */
export function onnxAxis(axis: number, layout: Layout, rank: number): number {
  return permOf(layout, rank).indexOf(normalizeAxis(axis, rank));
}

/** Dims of `shape` taken in the order `perm` (ONNX Transpose semantics: out[i] = in[perm[i]]). */
export function permuteShape(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]!);
}

/** The permutation q with q[i] = from^-1[to[i]]: turns data stored with `from` into data stored with `to`. */
export function between(from: readonly number[], to: readonly number[]): number[] {
  return to.map((d) => from.indexOf(d));
}

export const isIdentity = (perm: readonly number[]): boolean => perm.every((p, i) => p === i);

/** Row-major data of `shape` transposed by `perm`, in a new array of the same type. */
export function permuteData<T extends TensorData>(data: T, shape: readonly number[], perm: readonly number[]): T {
  if (isIdentity(perm)) return data.slice() as T;
  const rank = shape.length;
  const outShape = permuteShape(shape, perm);
  const inStrides = new Array<number>(rank);
  for (let d = rank - 1, s = 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d]!;
  }
  // Stride in the input for each output dim, walked with an odometer over the output.
  const strides = perm.map((p) => inStrides[p]!);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  if (rank <= 4) {
    permute4(data, out, [...new Array<number>(4 - rank).fill(1), ...outShape], [...new Array<number>(4 - rank).fill(0), ...strides]);
    return out;
  }
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < data.length; i++) {
    out[i] = data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      src += strides[d]!;
      if (index[d]! < outShape[d]!) break;
      src -= strides[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * permuteData for rank ≤ 4 (every weight and image tensor) as four plain nested loops: the
 * odometer below costs ~30 ns per element, a third of a MobileNetV2 export (issue 9).
 */
function permute4(data: TensorData, out: TensorData, shape: readonly number[], strides: readonly number[]): void {
  const [n0, n1, n2, n3] = shape as [number, number, number, number];
  const [s0, s1, s2, s3] = strides as [number, number, number, number];
  let o = 0;
  for (let a = 0; a < n0; a++) {
    for (let b = 0; b < n1; b++) {
      for (let c = 0; c < n2; c++) {
        let src = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < n3; d++, src += s3) out[o++] = data[src]!;
      }
    }
  }
}

/** A constant broadcast against a rank-`rank` tensor: its shape with leading 1s (numpy rules). */
export function expandRank(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(Math.max(0, rank - shape.length)).fill(1), ...shape];
}
