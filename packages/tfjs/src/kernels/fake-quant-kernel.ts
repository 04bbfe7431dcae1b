import * as tf from '@tensorflow/tfjs';
import { F32Output, readF32 } from './backend-access.js';

/**
 * One pass of activation fake quantization: the output on the grid and the straight-through
 * mask (1 inside the range, 0 outside) together. As tfjs ops this is ~10 full-tensor passes and
 * allocations; as one loop it keeps QAT steps close to float steps on cpu and wasm.
 *
 * Inputs: `x` (float32) and `params` = [scale, nudgedMin, nudgedMax]. Outputs: [y, mask].
 */
export const FAKE_QUANT_KERNEL = 'QatkitFakeQuant';

function fakeQuantLoop(x: Float32Array, scale: number, lo: number, hi: number, y: Float32Array, mask: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const inside = v >= lo && v <= hi;
    const c = v < lo ? lo : v > hi ? hi : v; // NaN stays NaN, as with tf.minimum/maximum
    y[i] = Math.floor((c - lo) / scale + 0.5) * scale + lo;
    mask[i] = inside ? 1 : 0;
  }
}

const configs = new Map<string, tf.KernelConfig>();

/** The kernel for `backendName` (cpu or wasm: backends whose memory JS can read directly). */
export function fakeQuantKernelConfig(backendName: string): tf.KernelConfig {
  let config = configs.get(backendName);
  if (!config) {
    config = {
      kernelName: FAKE_QUANT_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend: b }) => {
        const backend = b as tf.KernelBackend;
        const { x, params } = inputs as { x: tf.TensorInfo; params: tf.TensorInfo };
        if (x.dtype !== 'float32') throw new Error(`${FAKE_QUANT_KERNEL} takes float32, got ${x.dtype}`);
        const y = new F32Output(backend, [...x.shape]);
        const mask = new F32Output(backend, [...x.shape]);
        // Views are taken after both allocations: a wasm heap allocation can detach older views.
        const [scale, lo, hi] = readF32(backend, params);
        fakeQuantLoop(readF32(backend, x), scale!, lo!, hi!, y.values, mask.values);
        return [y.finish(), mask.finish()];
      },
    };
    configs.set(backendName, config);
  }
  return config;
}

/** Registers the kernel for cpu and wasm (idempotent); other backends use the tfjs-op fallback. */
export function registerFakeQuantKernel(backendName: string): boolean {
  if (backendName !== 'cpu' && backendName !== 'wasm') return false;
  const config = fakeQuantKernelConfig(backendName);
  const existing = tf.getKernel(FAKE_QUANT_KERNEL, backendName);
  if (existing?.kernelFunc === config.kernelFunc) return true;
  if (existing) tf.unregisterKernel(FAKE_QUANT_KERNEL, backendName);
  tf.registerKernel(config);
  return true;
}
