// The Node-only half of initBackend: finding tfjs-backend-wasm's binaries on disk and loading
// tfjs-node. Browser bundles never see this file: package.json's "browser" field swaps it for
// backend-browser.js, so a plain esbuild/Vite browser build meets no `node:` import.
import { createRequire } from 'node:module';
import path from 'node:path';

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/**
 * Absolute directory (with trailing separator) of tfjs-backend-wasm's .wasm files in Node.
 * Passing it to setWasmPaths keeps the wasm backend loading even when a worker-style shim
 * (LiteRT's `self`/`importScripts`) makes its glue look relative to the working directory.
 * Undefined outside Node or when the package cannot be resolved.
 */
export function defaultWasmPaths(): string | undefined {
  if (!isNode) return undefined;
  try {
    const require = createRequire(import.meta.url);
    // the package's main is dist/tf-backend-wasm.node.js, beside the .wasm binaries
    return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
  } catch {
    return undefined;
  }
}

/** Loads tfjs-node (registers the 'tensorflow' backend); false if it is missing or cannot load. */
export async function loadTfjsNode(): Promise<boolean> {
  if (!isNode) return false;
  // a variable specifier: the optional peer has no types here and bundlers must not resolve it
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}
