// IDX, the file format of (Fashion-)MNIST: a 4-byte magic number (two zero bytes, a
// type code, the number of dimensions), one big-endian uint32 per dimension, then the
// elements in row-major order. Only type 0x08 (unsigned byte) occurs in these data sets.

export interface IdxData {
  /** Dimension sizes, outermost first: [count, rows, cols] for images, [count] for labels. */
  dims: number[];
  /** The elements, a view into the bytes that were parsed (not a copy). */
  data: Uint8Array;
}

/** Magic numbers: uint8 elements with 3 dimensions (images) or 1 (labels). */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * Parses uint8 IDX bytes. `source` names the file in error messages; `magic`, if
 * given, is the magic number the caller requires (IDX_IMAGES_MAGIC or IDX_LABELS_MAGIC).
 */
export function parseIdx(bytes: Uint8Array, source: string, magic?: number): IdxData {
  const fail = (why: string): never => {
    throw new Error(`${source}: not a valid IDX file: ${why}`);
  };
  if (bytes.length < 4) fail(`only ${bytes.length} byte(s), too short for the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (the bytes are gzip-compressed: gunzip them first)' : '';
    fail(`bad magic number ${hex(found)}, expected ${hex(magic ?? IDX_IMAGES_MAGIC)}${gzip}`);
  }
  if (bytes[2] !== UBYTE) {
    fail(`element type 0x${bytes[2].toString(16)} (${TYPE_NAMES[bytes[2]] ?? 'unknown'}); only 0x08 (unsigned byte) is supported`);
  }
  if (magic !== undefined && found !== magic) {
    fail(`magic number ${hex(found)} (${bytes[3]} dimensions), expected ${hex(magic)} (${magic & 0xff} dimensions)`);
  }
  const rank = bytes[3];
  if (rank === 0) fail('zero dimensions');
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    fail(`truncated header: ${rank} dimensions need ${headerSize} bytes, the file has ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerSize;
  if (actual !== expected) {
    const what = actual < expected ? 'truncated' : 'trailing bytes';
    fail(`${what}: dimensions [${dims.join(', ')}] need ${expected} data bytes, found ${actual}`);
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/** Serialises uint8 data as IDX (the inverse of parseIdx). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (dims.length === 0 || dims.length > 255 || data.length !== expected) {
    throw new Error(`encodeIdx: dimensions [${dims.join(', ')}] do not fit ${data.length} bytes`);
  }
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, (UBYTE << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
