// Fashion-MNIST (Zalando Research, MIT license) from local IDX files; never downloads.
// Where it looks, in order: the caller's directory; Debian's dataset-fashion-mnist
// package; the class-balanced subset committed in this package's data/ directory (so
// `qatkit demo` works from a fresh checkout or an npm install).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from './idx.js';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const IMAGE_ROWS = 28;
export const IMAGE_COLS = 28;

/** Where Debian's dataset-fashion-mnist package installs the full data set. */
export const SYSTEM_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface FashionMnistSplit {
  /** count × 28 × 28 pixels, row-major, 0 (background) to 255. */
  images: Uint8Array;
  /** count class indices into FASHION_MNIST_CLASSES. */
  labels: Uint8Array;
  count: number;
}

export interface FashionMnist {
  train: FashionMnistSplit;
  test: FashionMnistSplit;
  /** 'full' for all 60,000 + 10,000 examples, 'subset' for anything smaller. */
  source: 'full' | 'subset';
  /** The directory the files were read from. */
  dir: string;
}

const FULL_COUNTS = { train: 60_000, test: 10_000 };
const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};
const EXPECTED =
  'the four Fashion-MNIST IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte, ' +
  't10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each optionally gzipped with a .gz suffix';

function packageRoot(): string {
  // src/data/ under vitest, dist/data/ after the build: walk up to package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Fashion-MNIST: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** The committed subset: data/fashion-mnist-subset/ in this package. */
export function fashionMnistSubsetDir(): string {
  return join(packageRoot(), 'data', 'fashion-mnist-subset');
}

/** The directory loadFashionMnist() reads when given none (`systemDir` is for tests). */
export function defaultFashionMnistDir(systemDir = SYSTEM_FASHION_MNIST_DIR): string {
  return isDirectory(systemDir) ? systemDir : fashionMnistSubsetDir();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads `<dir>/<base>.gz` or `<dir>/<base>`, gunzipping whatever starts with the gzip magic. */
function readIdxFile(dir: string, base: string, magic: number) {
  const candidates = [join(dir, `${base}.gz`), join(dir, base)];
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) {
    throw new Error(`Fashion-MNIST: ${dir} has no ${base}.gz or ${base}; expected ${EXPECTED}`);
  }
  let buffer = readFileSync(file);
  if (buffer[0] === 0x1f && buffer[1] === 0x8b) {
    try {
      buffer = gunzipSync(buffer);
    } catch (cause) {
      throw new Error(`${file}: gzip data is corrupt (${(cause as Error).message})`, { cause });
    }
  }
  // A plain Uint8Array view, so callers never meet Buffer's differing semantics.
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return { file, ...parseIdx(bytes, file, magic) };
}

function readSplit(dir: string, names: { images: string; labels: string }): FashionMnistSplit {
  const images = readIdxFile(dir, names.images, IDX_IMAGES_MAGIC);
  const labels = readIdxFile(dir, names.labels, IDX_LABELS_MAGIC);
  const [count, rows, cols] = images.dims;
  if (rows !== IMAGE_ROWS || cols !== IMAGE_COLS) {
    throw new Error(`${images.file}: images are ${rows}×${cols}, expected ${IMAGE_ROWS}×${IMAGE_COLS}`);
  }
  if (labels.dims[0] !== count) {
    throw new Error(`${labels.file}: ${labels.dims[0]} labels for ${count} images in ${images.file}`);
  }
  const bad = labels.data.findIndex((label) => label >= FASHION_MNIST_CLASSES.length);
  if (bad >= 0) {
    throw new Error(`${labels.file}: label ${labels.data[bad]} at index ${bad} is not a class index 0–9`);
  }
  return { images: images.data, labels: labels.data, count };
}

/**
 * Loads Fashion-MNIST from `dir`, or (without one) from the Debian package if it is
 * installed, else from the committed subset. Synchronous: about half a second for
 * the full set, most of it gunzip.
 */
export function loadFashionMnist(dir?: string): FashionMnist {
  const from = dir ?? defaultFashionMnistDir();
  if (!isDirectory(from)) {
    throw new Error(`Fashion-MNIST: ${from} is not a directory; expected a directory holding ${EXPECTED}`);
  }
  const train = readSplit(from, FILES.train);
  const test = readSplit(from, FILES.test);
  const full = train.count === FULL_COUNTS.train && test.count === FULL_COUNTS.test;
  return { train, test, source: full ? 'full' : 'subset', dir: from };
}
