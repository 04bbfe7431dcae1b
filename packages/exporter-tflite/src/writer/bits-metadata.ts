import { QatkitError, type Tensor } from '@qatkit/core';

/**
 * The true bit width of tensors narrower than their storage (scheme-nbit: 2–7-bit values in int8
 * tensors), written as a Model.metadata entry. TFLite has no field for it and its int8 kernels do
 * not need one; readers (readTflite, target checks) use it to say what the file really holds.
 * Payload: UTF-8 JSON {"version":1,"tensors":[[tensorIndex, bits], …]} for subgraph 0, in index
 * order, so equal graphs give equal bytes.
 */
export const BITS_METADATA = 'qatkit.bits';

/** Storage width of each dtype a narrower quantization may live in. */
const STORAGE_BITS: Readonly<Partial<Record<Tensor['dtype'], number>>> = { int8: 8, uint8: 8, int16: 16, int32: 32 };

/** [index, bits] for every tensor (in file order) whose quantization is narrower than its dtype. */
export function narrowTensors(order: readonly Tensor[]): [number, number][] {
  const out: [number, number][] = [];
  order.forEach((t, i) => {
    const bits = t.quantization?.bits;
    const storage = STORAGE_BITS[t.dtype];
    if (bits === undefined || storage === undefined) return;
    if (bits > storage) {
      // The exporter cannot store it: say so rather than write values that wrap.
      throw new QatkitError('UNSUPPORTED_OP', `tensor "${t.name}" is quantized to ${bits} bits but stored as ${t.dtype}; TFLite stores at most ${storage} bits in ${t.dtype}`);
    }
    if (bits < storage) out.push([i, bits]);
  });
  return out;
}

export function bitsPayload(entries: readonly [number, number][]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: 1, tensors: entries }));
}

/** The entries of a payload, or a description of what is wrong with it. */
export function parseBitsPayload(bytes: Uint8Array, tensorCount: number): Map<number, number> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return 'is not UTF-8 JSON';
  }
  const tensors = (parsed as { tensors?: unknown } | null)?.tensors;
  if (!Array.isArray(tensors)) return 'has no "tensors" array';
  const out = new Map<number, number>();
  for (const e of tensors) {
    const ok = Array.isArray(e) && e.length === 2 && Number.isInteger(e[0]) && e[0] >= 0 && e[0] < tensorCount && Number.isInteger(e[1]) && e[1] >= 1 && e[1] <= 32;
    if (!ok) return `has an entry ${JSON.stringify(e)} that is not [tensor index < ${tensorCount}, bits 1–32]`;
    out.set(e[0] as number, e[1] as number);
  }
  return out;
}
