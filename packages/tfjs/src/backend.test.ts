import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initBackend } from './backend.js';
import * as browserHalf from './backend-browser.js';
import { TRAINING_KERNEL_NAMES, trainingKernelConfigs } from './kernels/index.js';

const isOurs = (kernel: string, backendName: string) =>
  tf.getKernel(kernel, backendName)?.kernelFunc ===
  trainingKernelConfigs(backendName).find((c) => c.kernelName === kernel)!.kernelFunc;

afterEach(() => vi.restoreAllMocks());

describe('initBackend', () => {
  // Must run first: the wasm module is instantiated once per process.
  it('starts wasm next to a LiteRT-style worker shim, from another working directory', async () => {
    const g = globalThis as Record<string, unknown>;
    const cwd = process.cwd();
    g.self = globalThis;
    g.importScripts = () => {
      throw new Error('importScripts must not be used');
    };
    process.chdir(os.tmpdir()); // without setWasmPaths the glue would look for the .wasm here
    try {
      expect(await initBackend()).toBe('wasm');
    } finally {
      process.chdir(cwd);
      delete g.self;
      delete g.importScripts;
    }
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.tensor([1, 2, 3]).square().dataSync()).toEqual(new Float32Array([1, 4, 9]));
  });

  it('registers the training kernels for wasm and can be called again', async () => {
    for (const k of TRAINING_KERNEL_NAMES) expect(isOurs(k, 'wasm')).toBe(true);
    const warn = vi.spyOn(console, 'warn');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(warn).not.toHaveBeenCalled();
  });

  it("falls back from 'tensorflow' to wasm with a one-line warning when tfjs-node is missing", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await initBackend('tensorflow')).toBe('wasm');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/tfjs-node.*wasm/);
    expect(String(warn.mock.calls[0]![0])).not.toContain('\n');
  });

  it("selects cpu and replaces its slow backprop kernels", async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    for (const k of TRAINING_KERNEL_NAMES) expect(isOurs(k, 'cpu')).toBe(true);
    expect(await initBackend()).toBe('wasm');
  });

  it('trains through tf.grad on the selected backend', async () => {
    await initBackend('wasm');
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const dw = tf.grad((f: tf.Tensor) => tf.conv2d(x, f as tf.Tensor4D, 1, 'same').sum())(w);
    expect(dw.shape).toEqual([3, 3, 3, 4]);
    expect(dw.dataSync().some((v) => v !== 0)).toBe(true);
    tf.dispose([x, w, dw]);
  });

  it('falls back along webgpu → webgl → wasm when no GPU backend can start (Node has none)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await initBackend('webgpu')).toBe('wasm');
    expect(await initBackend('webgl')).toBe('wasm');
    for (const k of TRAINING_KERNEL_NAMES) expect(isOurs(k, 'wasm')).toBe(true);
  });

  it("the browser half (swapped in by package.json's browser field) leaves the wasm paths to the page", async () => {
    expect(browserHalf.defaultWasmPaths()).toBeUndefined();
    expect(await browserHalf.loadTfjsNode()).toBe(false);
  });
});
