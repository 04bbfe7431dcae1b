import type { FloatTensor } from './float-ops.js';

/**
 * Float reference kernels for elementwise, combining, reducing and layout ops: plain loops over
 * row-major (NHWC) data, following TensorFlow's semantics.
 */

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1]! * shape[i + 1]!;
  return out;
}

/** Index of each coordinate of `shape` into a tensor of `from` that broadcasts to it. */
function broadcastIndex(from: readonly number[], shape: readonly number[]): (flat: number) => number {
  const outStrides = strides(shape);
  const inStrides = strides(from);
  const lead = shape.length - from.length;
  return (flat) => {
    let idx = 0;
    for (let d = 0; d < shape.length; d++) {
      const coord = Math.floor(flat / outStrides[d]!) % shape[d]!;
      const k = d - lead;
      if (k >= 0 && from[k] !== 1) idx += coord * inStrides[k]!;
    }
    return idx;
  };
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => Math.max(a[a.length - rank + i] ?? 1, b[b.length - rank + i] ?? 1));
}

/** f(a, b) with numpy broadcasting. */
export function binary(a: FloatTensor, b: FloatTensor, f: (x: number, y: number) => number): FloatTensor {
  const shape = broadcastShape(a.shape, b.shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const data = new Float32Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = f(a.data[ia(i)]!, b.data[ib(i)]!);
  return { data, shape };
}

export function unary(x: FloatTensor, f: (v: number) => number): FloatTensor {
  return { data: x.data.map(f), shape: x.shape };
}

export const logistic = (v: number): number => 1 / (1 + Math.exp(-v));
export const elu = (v: number): number => (v < 0 ? Math.expm1(v) : v);
export const hardSwish = (v: number): number => (v * Math.min(Math.max(v + 3, 0), 6)) / 6;

export function concat(inputs: readonly FloatTensor[], axis: number): FloatTensor {
  const rank = inputs[0]!.shape.length;
  const k = axis < 0 ? axis + rank : axis;
  const outer = size(inputs[0]!.shape.slice(0, k));
  const shape = [...inputs[0]!.shape];
  shape[k] = inputs.reduce((n, t) => n + t.shape[k]!, 0);
  const data = new Float32Array(size(shape));
  let o = 0;
  for (let r = 0; r < outer; r++) {
    for (const t of inputs) {
      const chunk = size(t.shape.slice(k));
      data.set(t.data.subarray(r * chunk, (r + 1) * chunk), o);
      o += chunk;
    }
  }
  return { data, shape };
}

/** Mean or max over `axes`. */
export function reduce(x: FloatTensor, axes: readonly number[], keepDims: boolean, kind: 'mean' | 'max'): FloatTensor {
  const rank = x.shape.length;
  const set = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const kept = x.shape.map((d, i) => (set.has(i) ? 1 : d));
  const out = new Float64Array(size(kept)).fill(kind === 'max' ? -Infinity : 0);
  const index = broadcastIndex(kept, x.shape);
  // broadcastIndex maps a coordinate of x to the kept tensor when the reduced dims are 1.
  for (let i = 0; i < x.data.length; i++) {
    const j = index(i);
    out[j] = kind === 'max' ? Math.max(out[j]!, x.data[i]!) : out[j]! + x.data[i]!;
  }
  const count = x.data.length / out.length;
  const data = Float32Array.from(out, (v) => (kind === 'mean' ? v / count : v));
  return { data, shape: keepDims ? kept : x.shape.filter((_, i) => !set.has(i)) };
}

/** Visits every output coordinate, reading the input coordinate `from(coord)` (or 0 when undefined). */
function gather(shape: readonly number[], from: (coord: number[]) => number | undefined, x: FloatTensor): FloatTensor {
  const outStrides = strides(shape);
  const data = new Float32Array(size(shape));
  const coord = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < data.length; i++) {
    for (let d = 0; d < shape.length; d++) coord[d] = Math.floor(i / outStrides[d]!) % shape[d]!;
    const idx = from(coord);
    data[i] = idx === undefined ? 0 : x.data[idx]!;
  }
  return { data, shape };
}

const flatIndex = (coord: readonly number[], shape: readonly number[]) => coord.reduce((acc, c, d) => acc * shape[d]! + c, 0);

/** Pads with real 0. */
export function pad(x: FloatTensor, paddings: readonly (readonly [number, number])[]): FloatTensor {
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  return gather(shape, (c) => {
    const src = c.map((v, d) => v - paddings[d]![0]);
    return src.every((v, d) => v >= 0 && v < x.shape[d]!) ? flatIndex(src, x.shape) : undefined;
  }, x);
}

export function slice(x: FloatTensor, begin: readonly number[], sizes: readonly number[]): FloatTensor {
  const shape = sizes.map((n, d) => (n === -1 ? x.shape[d]! - begin[d]! : n));
  return gather(shape, (c) => flatIndex(c.map((v, d) => v + begin[d]!), x.shape), x);
}

export function transpose(x: FloatTensor, perm: readonly number[]): FloatTensor {
  const shape = perm.map((p) => x.shape[p]!);
  return gather(shape, (c) => {
    const src = new Array<number>(perm.length);
    perm.forEach((p, d) => (src[p] = c[d]!));
    return flatIndex(src, x.shape);
  }, x);
}
