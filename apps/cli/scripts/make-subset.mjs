#!/usr/bin/env node
// Writes the class-balanced Fashion-MNIST subset committed in data/fashion-mnist-subset/:
// the first TRAIN_PER_CLASS train and TEST_PER_CLASS test examples of every class, kept
// in their original order (classes stay interleaved, so any prefix is roughly balanced).
//
//   node scripts/make-subset.mjs [source-dir]   (default: /usr/share/datasets/fashion-mnist)
//
// Deterministic: the same source gives byte-identical files (Node's gzip writes no file
// name and a zero mtime). Plain JS so that it runs without a build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const TRAIN_PER_CLASS = 1000;
const TEST_PER_CLASS = 200;
const CLASSES = 10;
const PIXELS = 28 * 28;

const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'fashion-mnist-subset');

function readIdx(base, rank) {
  const gz = join(source, `${base}.gz`);
  const file = existsSync(gz) ? gz : join(source, base);
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const magic = bytes.readUInt32BE(0);
  if (magic !== 0x800 + rank) throw new Error(`${file}: magic 0x${magic.toString(16)}, expected 0x${(0x800 + rank).toString(16)}`);
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const data = bytes.subarray(4 + 4 * rank);
  if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${file}: size does not match dims ${dims}`);
  return { dims, data };
}

function encodeIdx(dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Indices (ascending) of the first `perClass` examples of each class. */
function pick(labels, perClass) {
  const taken = new Array(CLASSES).fill(0);
  const indices = [];
  for (let i = 0; i < labels.length; i++) {
    if (taken[labels[i]] < perClass) {
      taken[labels[i]]++;
      indices.push(i);
    }
  }
  if (taken.some((n) => n < perClass)) throw new Error(`a class has fewer than ${perClass} examples: ${taken}`);
  return indices;
}

const written = [];
function writeSplit(prefix, perClass) {
  const images = readIdx(`${prefix}-images-idx3-ubyte`, 3);
  const labels = readIdx(`${prefix}-labels-idx1-ubyte`, 1);
  const indices = pick(labels.data, perClass);
  const outImages = Buffer.alloc(indices.length * PIXELS);
  const outLabels = Buffer.alloc(indices.length);
  indices.forEach((src, dst) => {
    images.data.copy(outImages, dst * PIXELS, src * PIXELS, (src + 1) * PIXELS);
    outLabels[dst] = labels.data[src];
  });
  for (const [name, idx] of [
    [`${prefix}-images-idx3-ubyte`, encodeIdx([indices.length, 28, 28], outImages)],
    [`${prefix}-labels-idx1-ubyte`, encodeIdx([indices.length], outLabels)],
  ]) {
    const gz = gzipSync(idx, { level: 9 });
    writeFileSync(join(outDir, `${name}.gz`), gz);
    written.push({ name: `${name}.gz`, count: indices.length, sha256: createHash('sha256').update(idx).digest('hex'), size: gz.length });
  }
  return { count: indices.length, last: indices[indices.length - 1] };
}

mkdirSync(outDir, { recursive: true });
const train = writeSplit('train', TRAIN_PER_CLASS);
const test = writeSplit('t10k', TEST_PER_CLASS);

const readme = `# Fashion-MNIST subset

A class-balanced subset of [Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist)
by Zalando Research (Han Xiao, Kashif Rasul, Roland Vollgraf), MIT license, taken from the
Debian package \`dataset-fashion-mnist\` (\`/usr/share/datasets/fashion-mnist\`).

It lets \`qatkit\` train and evaluate from a fresh checkout or npm install when the full
data set is not installed; \`loadFashionMnist()\` prefers the full set when it finds it.

| file | examples | what |
|---|---|---|
${written.map((f) => `| \`${f.name}\` | ${f.count} | ${f.name.includes('images') ? '28×28 uint8 images' : 'labels 0–9'} |`).join('\n')}

- **train**: the first ${TRAIN_PER_CLASS} examples of each of the 10 classes from the 60,000 training
  examples (${train.count} in all; they come from the first ${train.last + 1}).
- **test**: the first ${TEST_PER_CLASS} examples of each class from the 10,000 test examples
  (${test.count} in all; from the first ${test.last + 1}).
- Examples keep their original order, so the classes stay interleaved as in the source.
- Format: gzipped IDX, as in the original distribution (magic 0x00000803 for images,
  0x00000801 for labels, big-endian dimensions, uint8 data).

Made by \`apps/cli/scripts/make-subset.mjs\` (deterministic: rerunning it on the same source
gives byte-identical files). SHA-256 of the uncompressed IDX files:

${written.map((f) => `- \`${f.name.replace(/\.gz$/, '')}\`: \`${f.sha256}\``).join('\n')}

Class indices: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
7 Sneaker, 8 Bag, 9 Ankle boot.

## License

MIT (Expat), as recorded in Debian's \`/usr/share/doc/dataset-fashion-mnist/copyright\`:

Copyright (c) 2017 Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;
writeFileSync(join(outDir, 'README.md'), readme);

const total = written.reduce((a, f) => a + f.size, 0);
console.log(`wrote ${written.length} files (${(total / 1e6).toFixed(2)} MB) and README.md to ${outDir}`);
