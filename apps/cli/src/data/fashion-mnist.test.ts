import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultFashionMnistDir,
  FASHION_MNIST_CLASSES,
  fashionMnistSubsetDir,
  loadFashionMnist,
  SYSTEM_FASHION_MNIST_DIR,
} from './fashion-mnist.js';
import { encodeIdx } from './idx.js';

const PIXELS = 28 * 28;
const temp = mkdtempSync(join(tmpdir(), 'qatkit-fmnist-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function classCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

/** A directory with tiny IDX files: `n` train and test images, labels i % 10. */
function makeDir(name: string, n: number, options: { gzip?: boolean; omit?: string; labels?: number[] } = {}): string {
  const dir = join(temp, name);
  mkdirSync(dir);
  const labels = Uint8Array.from(options.labels ?? Array.from({ length: n }, (_, i) => i % 10));
  const images = new Uint8Array(n * PIXELS).map((_, i) => i % 251);
  for (const prefix of ['train', 't10k']) {
    const files: [string, Uint8Array][] = [
      [`${prefix}-images-idx3-ubyte`, encodeIdx([n, 28, 28], images)],
      [`${prefix}-labels-idx1-ubyte`, encodeIdx([labels.length], labels)],
    ];
    for (const [file, bytes] of files) {
      if (file === options.omit) continue;
      if (options.gzip) writeFileSync(join(dir, `${file}.gz`), gzipSync(bytes));
      else writeFileSync(join(dir, file), bytes);
    }
  }
  return dir;
}

describe('the committed subset', () => {
  const data = loadFashionMnist(fashionMnistSubsetDir());

  it('has 10,000 train and 2,000 test examples, balanced over the 10 classes', () => {
    expect(data.source).toBe('subset');
    expect(data.dir).toBe(fashionMnistSubsetDir());
    expect(data.train.count).toBe(10_000);
    expect(data.test.count).toBe(2_000);
    expect(data.train.images.length).toBe(10_000 * PIXELS);
    expect(data.test.images.length).toBe(2_000 * PIXELS);
    expect(classCounts(data.train.labels)).toEqual(new Array(10).fill(1_000));
    expect(classCounts(data.test.labels)).toEqual(new Array(10).fill(200));
  });

  it('keeps the classes interleaved, so a prefix is roughly balanced too', () => {
    const counts = classCounts(data.train.labels.subarray(0, 1_000));
    expect(Math.min(...counts)).toBeGreaterThan(60);
  });

  it('holds real images, not blanks', () => {
    const first = data.train.images.subarray(0, PIXELS);
    expect(Math.max(...first)).toBeGreaterThan(200);
    expect(first.filter((p) => p === 0).length).toBeGreaterThan(100);
    expect(data.train.images).not.toBeInstanceOf(Buffer);
  });

  it('is the fallback when the Debian package is not installed', () => {
    expect(defaultFashionMnistDir(join(temp, 'no-such-dir'))).toBe(fashionMnistSubsetDir());
  });

  it('names the ten classes', () => {
    expect(FASHION_MNIST_CLASSES).toHaveLength(10);
    expect(FASHION_MNIST_CLASSES[0]).toBe('T-shirt/top');
    expect(FASHION_MNIST_CLASSES[9]).toBe('Ankle boot');
  });
});

describe.skipIf(!existsSync(SYSTEM_FASHION_MNIST_DIR))('the Debian package', () => {
  it('is the default and loads in full', () => {
    expect(defaultFashionMnistDir()).toBe(SYSTEM_FASHION_MNIST_DIR);
    const data = loadFashionMnist();
    expect(data.source).toBe('full');
    expect([data.train.count, data.test.count]).toEqual([60_000, 10_000]);
    expect(classCounts(data.test.labels)).toEqual(new Array(10).fill(1_000));
  });
});

describe('loadFashionMnist(dir)', () => {
  it('reads uncompressed and gzipped files', () => {
    for (const gzip of [false, true]) {
      const dir = makeDir(`plain-${gzip}`, 20, { gzip });
      const data = loadFashionMnist(dir);
      expect(data).toMatchObject({ source: 'subset', dir, train: { count: 20 }, test: { count: 20 } });
      expect(Array.from(data.test.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
      expect(data.train.images[PIXELS + 1]).toBe((PIXELS + 1) % 251);
    }
  });

  it('names the missing file and what is expected', () => {
    const dir = makeDir('missing', 5, { omit: 't10k-labels-idx1-ubyte' });
    expect(() => loadFashionMnist(dir)).toThrow(
      new RegExp(`${dir} has no t10k-labels-idx1-ubyte\\.gz or t10k-labels-idx1-ubyte; expected the four Fashion-MNIST IDX files`),
    );
  });

  it('rejects a directory that does not exist', () => {
    expect(() => loadFashionMnist(join(temp, 'nope'))).toThrow(/nope is not a directory; expected a directory holding/);
  });

  it('rejects mismatched counts and out-of-range labels', () => {
    const short = makeDir('short', 5, { labels: [0, 1, 2, 3] });
    expect(() => loadFashionMnist(short)).toThrow(/train-labels-idx1-ubyte: 4 labels for 5 images/);
    const bad = makeDir('bad-label', 3, { labels: [0, 10, 2] });
    expect(() => loadFashionMnist(bad)).toThrow(/label 10 at index 1 is not a class index/);
  });

  it('rejects corrupt files, naming them', () => {
    const dir = makeDir('corrupt', 2, { gzip: true });
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3));
    expect(() => loadFashionMnist(dir)).toThrow(/train-images-idx3-ubyte\.gz: gzip data is corrupt/);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 2)));
    expect(() => loadFashionMnist(dir)).toThrow(/train-images-idx3-ubyte\.gz: not a valid IDX file: truncated header/);
  });
});
