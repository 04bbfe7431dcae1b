import { QatkitError } from '../errors.js';
import type { Op, OpAttrs } from './types.js';

/**
 * Output shapes of the ops that combine, reduce, pad, crop, resize or permute whole tensors.
 * Each takes the op (for messages), its input shapes and its attributes, and throws a QatkitError
 * naming the op when they cannot be combined.
 */

type Shape = readonly number[];

export const fmt = (s: Shape): string => `[${s.join(', ')}]`;

export function shapeError(op: Op, msg: string): never {
  throw new QatkitError('INVALID_SHAPE', `op "${op.name}" (${op.kind}): ${msg}`);
}

function attrError(op: Op, msg: string): never {
  throw new QatkitError('INVALID_GRAPH', `op "${op.name}" (${op.kind}): ${msg}`);
}

const isIntArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => Number.isInteger(n));

/** An axis in [-rank, rank), returned in [0, rank). */
export function resolveAxis(op: Op, what: string, axis: unknown, rank: number): number {
  if (!Number.isInteger(axis) || (axis as number) < -rank || (axis as number) >= rank) {
    attrError(op, `${what} ${JSON.stringify(axis)} is not an axis of a rank-${rank} input (allowed: ${-rank} … ${rank - 1})`);
  }
  return (axis as number) < 0 ? (axis as number) + rank : (axis as number);
}

/** numpy broadcasting: dimensions align from the right; each pair is equal or has a 1. */
export function broadcast(op: Op, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) shapeError(op, `inputs ${fmt(a)} and ${fmt(b)} cannot be broadcast together (dimension ${i}: ${x} vs ${y})`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function concatenate(op: Op, inputs: readonly Shape[], axis: unknown): number[] {
  const first = inputs[0]!;
  const k = resolveAxis(op, 'axis', axis, first.length);
  const out = [...first];
  inputs.slice(1).forEach((s, i) => {
    const same = s.length === first.length && s.every((d, j) => j === k || d === first[j]);
    if (!same) shapeError(op, `input ${i + 1} ${fmt(s)} does not match input 0 ${fmt(first)} outside axis ${k}`);
    out[k]! += s[k]!;
  });
  return out;
}

export function reduce(op: Op, input: Shape, attrs: OpAttrs['Mean']): number[] {
  if (!isIntArray(attrs.axes) || attrs.axes.length === 0) attrError(op, `axes must be a non-empty array of integers, got ${JSON.stringify(attrs.axes)}`);
  const axes = attrs.axes.map((a) => resolveAxis(op, 'axis', a, input.length));
  if (new Set(axes).size !== axes.length) attrError(op, `axes ${fmt(attrs.axes)} name the same dimension twice`);
  if (attrs.keepDims) return input.map((d, i) => (axes.includes(i) ? 1 : d));
  return input.filter((_, i) => !axes.includes(i));
}

export function pad(op: Op, input: Shape, paddings: unknown): number[] {
  const ok = Array.isArray(paddings) && paddings.length === input.length && paddings.every((p) => isIntArray(p) && p.length === 2 && p.every((n) => n >= 0));
  if (!ok) attrError(op, `paddings must be ${input.length} pairs [before, after] of non-negative integers (one per dimension of ${fmt(input)}), got ${JSON.stringify(paddings)}`);
  return input.map((d, i) => d + (paddings as number[][])[i]![0]! + (paddings as number[][])[i]![1]!);
}

/** `size[d]` = -1 takes everything from `begin[d]` to the end, as TFLite's SLICE does. */
export function slice(op: Op, input: Shape, attrs: OpAttrs['Slice']): number[] {
  const { begin, size } = attrs;
  if (!isIntArray(begin) || !isIntArray(size) || begin.length !== input.length || size.length !== input.length) {
    attrError(op, `begin and size must each hold ${input.length} integers (one per dimension of ${fmt(input)}), got ${JSON.stringify(begin)} and ${JSON.stringify(size)}`);
  }
  return input.map((d, i) => {
    const b = begin[i]!;
    const n = size[i] === -1 ? d - b : size[i]!;
    if (b < 0 || n < 1 || b + n > d) shapeError(op, `dimension ${i}: begin ${b} and size ${size[i]} do not select a non-empty part of ${d} (input ${fmt(input)})`);
    return n;
  });
}

export function transpose(op: Op, input: Shape, perm: unknown): number[] {
  const ok = isIntArray(perm) && perm.length === input.length && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) attrError(op, `perm must be a permutation of 0 … ${input.length - 1} for the input ${fmt(input)}, got ${JSON.stringify(perm)}`);
  return (perm as number[]).map((p) => input[p]!);
}

/** The new height and width come from the output tensor; batch and channels must be kept. */
export function resize(op: Op, input: Shape, output: Shape, attrs: OpAttrs['ResizeBilinear']): number[] {
  if (attrs.alignCorners && attrs.halfPixelCenters) attrError(op, 'alignCorners and halfPixelCenters cannot both be true (TensorFlow refuses the pair)');
  if (input.length !== 4) shapeError(op, `input must be rank 4 (NHWC), got ${fmt(input)}`);
  if (output.length !== 4 || output[1]! < 1 || output[2]! < 1) shapeError(op, `output must be rank 4 (NHWC) with a non-empty height and width, got ${fmt(output)}`);
  return [input[0]!, output[1]!, output[2]!, input[3]!];
}
