import * as tf from '@tensorflow/tfjs';
import { type TrainingKernelName, trainingKernelConfigs } from './training-kernels.js';

/**
 * Built-in kernels we replace even though they exist, because ours are much faster
 * (measured on 64x28x28x16, 3x3, see src/bench/backprop.bench.ts): the cpu backend's filter
 * gradients walk TensorBuffer.get element by element, and wasm's Conv2DBackpropInput is a naive loop.
 * Kernels a backend lacks are always added; on other backends (webgl, tfjs-node) existing ones stay.
 */
const REPLACE: Record<string, readonly TrainingKernelName[]> = {
  cpu: [
    'Conv2DBackpropFilter',
    'Conv2DBackpropInput',
    'DepthwiseConv2dNativeBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
  ],
  wasm: ['Conv2DBackpropInput'],
};

/** Kernels we displaced, so they can be restored (and benchmarked against). */
const originals = new Map<string, tf.KernelConfig>();
const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;

/**
 * Registers qatkit's Conv2D/DepthwiseConv2D backprop kernels for `backendName` (default: the active
 * backend). Idempotent: a second call changes nothing. Returns the kernel names registered by this call.
 */
export function registerTrainingKernels(backendName: string = tf.getBackend()): string[] {
  const added: string[] = [];
  for (const config of trainingKernelConfigs(backendName)) {
    const { kernelName } = config;
    const existing = tf.getKernel(kernelName, backendName);
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing) {
      if (!REPLACE[backendName]?.includes(kernelName as TrainingKernelName)) continue;
      originals.set(key(kernelName, backendName), existing);
      tf.unregisterKernel(kernelName, backendName); // registerKernel would warn about the duplicate
    }
    tf.registerKernel(config);
    added.push(kernelName);
  }
  return added;
}

/** Removes our kernels from `backendName` and puts back any built-in ones they displaced. */
export function unregisterTrainingKernels(backendName: string = tf.getBackend()): void {
  for (const config of trainingKernelConfigs(backendName)) {
    const { kernelName } = config;
    if (tf.getKernel(kernelName, backendName)?.kernelFunc !== config.kernelFunc) continue;
    tf.unregisterKernel(kernelName, backendName);
    const original = originals.get(key(kernelName, backendName));
    if (original) {
      tf.registerKernel(original);
      originals.delete(key(kernelName, backendName));
    }
  }
}

/** The kernel registered for `kernelName` before ours displaced it, or the current one otherwise. */
export function builtinKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return originals.get(key(kernelName, backendName)) ?? (isOurs(kernelName, backendName) ? undefined : tf.getKernel(kernelName, backendName));
}

function isOurs(kernelName: string, backendName: string): boolean {
  const current = tf.getKernel(kernelName, backendName);
  return current != null && trainingKernelConfigs(backendName).some((c) => c.kernelFunc === current.kernelFunc);
}
