// Structure-aware mutations of real .tflite files for the reader's fuzz test. Most of a real file
// is weights, where a flipped byte only changes a value; so mutations aim at the bytes outside
// constant data (tables, vtables, offsets, vectors of indices), found from a clean read.
import fc from 'fast-check';
import type { TfliteSummary } from '../reader/summary.js';

export type Mutation =
  | { readonly kind: 'byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'int32'; readonly at: number; readonly value: number }
  | { readonly kind: 'copy'; readonly from: number; readonly to: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number };

/** Byte ranges holding no constant data: where the structure lives. */
export function structureRanges(summary: TfliteSummary, size: number): [number, number][] {
  const data = summary.subgraphs
    .flatMap((sg) => sg.tensors)
    .filter((t) => t.dataOffset !== undefined && t.dataLength > 0)
    .map((t): [number, number] => [t.dataOffset!, t.dataOffset! + t.dataLength])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let at = 0;
  for (const [start, end] of data) {
    if (start > at) out.push([at, start]);
    at = Math.max(at, end);
  }
  if (at < size) out.push([at, size]);
  return out;
}

/** Values that break readers: zero, signs, limits, and sizes near the file's. */
const INT32S = (size: number) => [0, 1, -1, 2, 3, 4, 8, 127, 128, 255, 256, 65535, 65536, 0x7fffffff, -0x80000000, size, size - 4, size + 4, size >> 1];

/** A position: mostly inside the structure, sometimes anywhere. */
function position(ranges: [number, number][], size: number): fc.Arbitrary<number> {
  const inRanges = fc.integer({ min: 0, max: ranges.length - 1 }).chain((r) => fc.integer({ min: ranges[r]![0], max: Math.max(ranges[r]![0], ranges[r]![1] - 1) }));
  return fc.oneof({ arbitrary: inRanges, weight: 9 }, { arbitrary: fc.integer({ min: 0, max: size - 1 }), weight: 1 });
}

export function mutationArb(ranges: [number, number][], size: number): fc.Arbitrary<Mutation> {
  const at = position(ranges, size);
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('byte' as const), at, value: fc.integer({ min: 0, max: 255 }) }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('int32' as const), at: at.map((p) => Math.min(p & ~3, size - 4)), value: fc.constantFrom(...INT32S(size)) }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('copy' as const), from: at, to: at, length: fc.integer({ min: 1, max: 64 }) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.integer({ min: 0, max: size - 1 }) }), weight: 1 },
  );
}

/**
 * Applies mutations in place and returns the bytes to read plus an undo function, so a 4 MB file
 * is not copied for every case.
 */
export function applyMutations(bytes: Uint8Array, mutations: readonly Mutation[]): { bytes: Uint8Array; undo: () => void } {
  const saved: [number, number][] = [];
  const set = (at: number, value: number) => {
    if (at < 0 || at >= bytes.length) return;
    saved.push([at, bytes[at]!]);
    bytes[at] = value & 0xff;
  };
  let end = bytes.length;
  for (const m of mutations) {
    if (m.kind === 'byte') set(m.at, m.value);
    else if (m.kind === 'int32') for (let k = 0; k < 4; k++) set(m.at + k, m.value >>> (8 * k));
    else if (m.kind === 'copy') {
      const chunk = bytes.slice(m.from, m.from + m.length);
      chunk.forEach((v, k) => set(m.to + k, v));
    } else end = Math.min(end, m.at);
  }
  return {
    bytes: bytes.subarray(0, end),
    undo: () => {
      for (let i = saved.length - 1; i >= 0; i--) bytes[saved[i]![0]] = saved[i]![1];
    },
  };
}
