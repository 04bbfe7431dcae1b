import * as tf from '@tensorflow/tfjs';
import { defaultWasmPaths, loadTfjsNode } from './backend-node.js';
import { registerFakeQuantKernel } from './kernels/fake-quant-kernel.js';
import { registerTrainingKernels } from './kernels/register.js';

/**
 * The backend to start with; later ones in webgpu → webgl → wasm → cpu are the fallbacks.
 * 'webgpu' needs `@tensorflow/tfjs-backend-webgpu` imported by the caller (it registers itself);
 * 'webgl' ships with `@tensorflow/tfjs`; 'tensorflow' is tfjs-node, falling back to wasm.
 */
export type BackendChoice = 'webgpu' | 'webgl' | 'wasm' | 'cpu' | 'tensorflow';

export interface InitBackendOptions {
  /**
   * Where tfjs-backend-wasm finds its .wasm files: a URL prefix ending in `/`, or a map from file
   * name to URL, exactly as tfjs's `setWasmPaths` takes it. Node default: the installed package's
   * dist folder; browser default: tfjs's own (beside the script), which bundlers usually break.
   */
  wasmPaths?: string | Record<string, string>;
}

const FALLBACKS: readonly string[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Loads and registers tfjs-backend-wasm (an optional peer); false if it is not installed. */
async function loadWasm(wasmPaths: InitBackendOptions['wasmPaths']): Promise<boolean> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch {
    return false;
  }
  const paths = wasmPaths ?? defaultWasmPaths();
  if (paths !== undefined) {
    try {
      wasm.setWasmPaths(paths);
    } catch {
      // throws only after a failed initialisation; setBackend then reports the failure
    }
  }
  return true;
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
 * kernels for it. Tries `preferred`, then the backends after it in webgpu → webgl → wasm → cpu
 * (a backend whose package is not loaded, or that fails to start, is skipped). 'wasm' (default)
 * needs `@tensorflow/tfjs-backend-wasm`; 'tensorflow' needs `@tensorflow/tfjs-node` and otherwise
 * falls back to wasm with a warning. Returns the name of the backend actually in use. Safe to
 * call repeatedly.
 */
export async function initBackend(preferred: BackendChoice = 'wasm', options: InitBackendOptions = {}): Promise<string> {
  let candidates: string[];
  if (preferred === 'tensorflow') {
    if ((await loadTfjsNode()) && tf.findBackendFactory('tensorflow') != null && (await activate('tensorflow'))) {
      candidates = [];
    } else {
      console.warn('qatkit: @tensorflow/tfjs-node is not available; falling back to the wasm backend');
      candidates = ['wasm', 'cpu'];
    }
  } else {
    candidates = FALLBACKS.slice(FALLBACKS.indexOf(preferred));
  }
  for (const name of candidates) {
    if (name === 'wasm' && !(await loadWasm(options.wasmPaths))) {
      console.warn('qatkit: @tensorflow/tfjs-backend-wasm is not installed; falling back to the cpu backend');
      continue;
    }
    // webgpu registers only when its package was imported; asking tfjs for a missing one throws
    if (tf.findBackendFactory(name) == null) continue;
    if (await activate(name)) break;
    if (name === 'wasm') console.warn('qatkit: the wasm backend failed to initialise; falling back to the cpu backend');
  }
  await tf.ready();
  const active = tf.getBackend();
  registerTrainingKernels(active);
  registerFakeQuantKernel(active);
  return active;
}
