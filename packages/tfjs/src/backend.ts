import * as tf from '@tensorflow/tfjs';
import { registerFakeQuantKernel } from './kernels/fake-quant-kernel.js';
import { registerTrainingKernels } from './kernels/register.js';

export type BackendChoice = 'wasm' | 'cpu' | 'tensorflow';

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/**
 * Absolute directory (with trailing separator) of tfjs-backend-wasm's .wasm files in Node.
 * Passing it to setWasmPaths keeps the wasm backend loading even when a worker-style shim
 * (LiteRT's `self`/`importScripts`) makes its glue look relative to the working directory.
 */
async function wasmDistDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const require = createRequire(import.meta.url);
  // the package's main is dist/tf-backend-wasm.node.js, beside the .wasm binaries
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/** Loads and registers tfjs-backend-wasm (an optional peer); false if it is not installed. */
async function loadWasm(): Promise<boolean> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch {
    return false;
  }
  // in a browser the bundler/CDN decides where the binaries live; leave the default
  if (isNode) {
    try {
      wasm.setWasmPaths(await wasmDistDir());
    } catch {
      // throws only after a failed initialisation; setBackend then reports the failure
    }
  }
  return true;
}

/** Loads tfjs-node (registers the 'tensorflow' backend); false if it is missing or cannot load. */
async function loadTfjsNode(): Promise<boolean> {
  if (!isNode) return false;
  // a variable specifier: the optional peer has no types here and bundlers must not resolve it
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
    return tf.findBackendFactory('tensorflow') != null;
  } catch {
    return false;
  }
}

async function activate(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Selects the tfjs backend for training and registers qatkit's Conv2D/DepthwiseConv2D backprop
 * kernels for it. 'wasm' (default) needs `@tensorflow/tfjs-backend-wasm`; 'tensorflow' needs
 * `@tensorflow/tfjs-node` and otherwise falls back to wasm with a warning; if wasm cannot start,
 * falls back to cpu. Returns the name of the backend actually in use. Safe to call repeatedly.
 */
export async function initBackend(preferred: BackendChoice = 'wasm'): Promise<string> {
  let candidates: string[];
  if (preferred === 'tensorflow') {
    if ((await loadTfjsNode()) && (await activate('tensorflow'))) {
      candidates = [];
    } else {
      console.warn('qatkit: @tensorflow/tfjs-node is not available; falling back to the wasm backend');
      candidates = ['wasm', 'cpu'];
    }
  } else {
    candidates = preferred === 'wasm' ? ['wasm', 'cpu'] : ['cpu'];
  }
  for (const name of candidates) {
    if (name === 'wasm' && !(await loadWasm())) {
      console.warn('qatkit: @tensorflow/tfjs-backend-wasm is not installed; falling back to the cpu backend');
      continue;
    }
    if (await activate(name)) break;
    if (name === 'wasm') console.warn('qatkit: the wasm backend failed to initialise; falling back to the cpu backend');
  }
  await tf.ready();
  const active = tf.getBackend();
  registerTrainingKernels(active);
  registerFakeQuantKernel(active);
  return active;
}
