import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from './idx.js';

/** IDX bytes written out by hand: magic, big-endian dims, data. */
function idx(magic: number[], dims: number[], data: number[]): Uint8Array {
  const header = dims.flatMap((d) => [(d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff]);
  return Uint8Array.from([...magic, ...header, ...data]);
}

describe('parseIdx', () => {
  it('reads a 2×2×3 image file', () => {
    const bytes = idx([0, 0, 8, 3], [2, 2, 3], [...Array(12).keys()]);
    const { dims, data } = parseIdx(bytes, 'images.idx', IDX_IMAGES_MAGIC);
    expect(dims).toEqual([2, 2, 3]);
    expect(Array.from(data)).toEqual([...Array(12).keys()]);
  });

  it('reads big-endian dimensions above 255', () => {
    const bytes = idx([0, 0, 8, 1], [300], Array(300).fill(9));
    expect(parseIdx(bytes, 'labels.idx', IDX_LABELS_MAGIC).dims).toEqual([300]);
  });

  it('returns a view, without copying', () => {
    const bytes = idx([0, 0, 8, 1], [2], [7, 8]);
    const { data } = parseIdx(bytes, 'labels.idx');
    expect(data.buffer).toBe(bytes.buffer);
    expect(data.byteOffset).toBe(8);
  });

  it('accepts empty data sets', () => {
    expect(parseIdx(idx([0, 0, 8, 3], [0, 28, 28], []), 'x').data.length).toBe(0);
  });

  it('rejects a bad magic number, naming the file', () => {
    expect(() => parseIdx(idx([1, 2, 8, 1], [1], [0]), 'labels.idx')).toThrow(
      'labels.idx: not a valid IDX file: bad magic number 0x01020801',
    );
  });

  it('says so when the bytes are still gzipped', () => {
    expect(() => parseIdx(gzipSync(idx([0, 0, 8, 1], [1], [0])), 'labels.gz')).toThrow(/gzip-compressed/);
  });

  it('rejects labels where images are expected and the reverse', () => {
    const labels = idx([0, 0, 8, 1], [1], [0]);
    expect(() => parseIdx(labels, 'f', IDX_IMAGES_MAGIC)).toThrow(
      'f: not a valid IDX file: magic number 0x00000801 (1 dimensions), expected 0x00000803 (3 dimensions)',
    );
    expect(() => parseIdx(idx([0, 0, 8, 3], [1, 1, 1], [0]), 'f', IDX_LABELS_MAGIC)).toThrow(/expected 0x00000801/);
  });

  it('rejects element types other than unsigned byte', () => {
    expect(() => parseIdx(idx([0, 0, 0x0d, 1], [1], [0, 0, 0, 0]), 'f')).toThrow(/element type 0xd \(float32\)/);
  });

  it('rejects a file too short for its magic number or header', () => {
    expect(() => parseIdx(Uint8Array.of(0, 0), 'f')).toThrow('f: not a valid IDX file: only 2 byte(s)');
    expect(() => parseIdx(Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1), 'f')).toThrow(
      /truncated header: 3 dimensions need 16 bytes, the file has 8/,
    );
  });

  it('rejects truncated data and trailing bytes', () => {
    expect(() => parseIdx(idx([0, 0, 8, 3], [2, 2, 2], [1, 2, 3]), 'img')).toThrow(
      'img: not a valid IDX file: truncated: dimensions [2, 2, 2] need 8 data bytes, found 3',
    );
    expect(() => parseIdx(idx([0, 0, 8, 1], [2], [1, 2, 3]), 'lbl')).toThrow(/trailing bytes: .* need 2 data bytes, found 3/);
  });

  it('rejects zero dimensions', () => {
    expect(() => parseIdx(Uint8Array.of(0, 0, 8, 0), 'f')).toThrow(/zero dimensions/);
  });
});

describe('encodeIdx', () => {
  it('round-trips through parseIdx and matches the hand-built bytes', () => {
    const data = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const bytes = encodeIdx([1, 2, 3], data);
    expect(bytes).toEqual(idx([0, 0, 8, 3], [1, 2, 3], [1, 2, 3, 4, 5, 6]));
    expect(parseIdx(bytes, 'x', IDX_IMAGES_MAGIC)).toEqual({ dims: [1, 2, 3], data });
  });

  it('refuses data that does not fit the dimensions', () => {
    expect(() => encodeIdx([2, 2], Uint8Array.of(1, 2, 3))).toThrow(/do not fit 3 bytes/);
  });
});
