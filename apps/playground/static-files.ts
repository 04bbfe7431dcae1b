// Files the page fetches at run time, served as they are from where they are installed, by
// `vite` (dev) and copied into dist/ by `vite build`. Not imported as modules: LiteRT.js injects
// its wasm glue as a <script> and finds the .wasm beside it; tfjs-backend-wasm takes a folder
// URL (setWasmPaths); the data stays gzipped IDX, decompressed by the browser.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const litertWasm = path.join(path.dirname(require.resolve('@litertjs/core/package.json')), 'wasm');
// tfjs-backend-wasm's main is dist/tf-backend-wasm.node.js, beside its .wasm binaries
const tfjsWasm = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
const fashion = path.join(here, '..', 'cli', 'data', 'fashion-mnist-subset');

/** Served path (below the page) → file on disk. */
export const STATIC_FILES: ReadonlyMap<string, string> = new Map([
  // the relaxed-SIMD build (every current Chromium) and the fallback LiteRT.js picks without it
  ...['litert_wasm_internal', 'litert_wasm_compat_internal'].flatMap((base) =>
    ['js', 'wasm'].map((ext): [string, string] => [`litert/${base}.${ext}`, path.join(litertWasm, `${base}.${ext}`)]),
  ),
  ...['tfjs-backend-wasm', 'tfjs-backend-wasm-simd', 'tfjs-backend-wasm-threaded-simd'].map(
    (base): [string, string] => [`tfjs-wasm/${base}.wasm`, path.join(tfjsWasm, `${base}.wasm`)],
  ),
  ...['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(
    (base): [string, string] => [`data/${base}.gz`, path.join(fashion, `${base}.gz`)],
  ),
]);

const TYPES: Record<string, string> = { '.wasm': 'application/wasm', '.js': 'text/javascript', '.gz': 'application/octet-stream' };

/** Content type by extension; `.gz` stays opaque bytes (no Content-Encoding) so the page sees the gzip. */
export const contentType = (file: string): string => TYPES[path.extname(file)] ?? 'application/octet-stream';

export function staticFiles(): Plugin {
  return {
    name: 'qatkit-static-files',
    buildStart() {
      for (const file of STATIC_FILES.values()) if (!existsSync(file)) this.error(`missing ${file}`);
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0]!.replace(/^\/+/, '');
        const file = STATIC_FILES.get(url);
        if (file === undefined) return next();
        res.setHeader('Content-Type', contentType(file));
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [fileName, file] of STATIC_FILES) this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
    },
  };
}
