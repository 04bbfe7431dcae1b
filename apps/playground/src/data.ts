// Fashion-MNIST in the page: the gzipped IDX files the server hands out as they are, inflated
// with the browser's DecompressionStream (no JS gunzip in the bundle), parsed as IDX.

export interface Split {
  /** count × 28 × 28 pixels, row-major, 0–255. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export const PIXELS = 28 * 28;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const raw = new Uint8Array(await response.arrayBuffer());
  // a server may already have inflated it (Content-Encoding: gzip); only gzip bytes are inflated here
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  const inflated = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

/** Parses uint8 IDX (a magic number 0x000008nn, one big-endian uint32 per dimension, the bytes). */
export function parseIdx(bytes: Uint8Array, source: string): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) {
    throw new Error(`${source}: not a uint8 IDX file`);
  }
  const rank = bytes[3]!;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const header = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== size) throw new Error(`${source}: ${bytes.length - header} data bytes for dimensions [${dims.join(', ')}]`);
  return { dims, data: bytes.subarray(header) };
}

/** Loads one split ('train' or 't10k') from `base` (a folder URL ending in '/'). */
export async function loadSplit(base: string, split: 'train' | 't10k'): Promise<Split> {
  const [images, labels] = await Promise.all(
    [`${split}-images-idx3-ubyte.gz`, `${split}-labels-idx1-ubyte.gz`].map(async (name) => parseIdx(await fetchBytes(base + name), name)),
  );
  const [count, rows, cols] = images!.dims;
  if (rows !== 28 || cols !== 28 || labels!.dims[0] !== count) throw new Error(`${split}: unexpected shapes`);
  return { images: images!.data, labels: labels!.data, count: count! };
}
