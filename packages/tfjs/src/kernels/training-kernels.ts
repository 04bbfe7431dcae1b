import * as tf from '@tensorflow/tfjs';
import { asWasm, F32Output, readF32 } from './backend-access.js';
import { assertDyShape, type ConvBackpropAttrs, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { conv2dFilterGradJs } from './conv2d-filter-grad-js.js';
import { conv2dInputGradJs } from './conv2d-input-grad-js.js';
import { depthwiseFilterGradJs, depthwiseInputGradJs } from './depthwise-grads-js.js';
import { conv2dFilterGradWasm, inputGradWasm } from './wasm-grads.js';

/** Kernels this module provides, by tfjs kernel name. */
export const TRAINING_KERNEL_NAMES = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;
export type TrainingKernelName = (typeof TRAINING_KERNEL_NAMES)[number];

type Attrs = ConvBackpropAttrs & { filterShape?: number[]; inputShape?: number[] };
type JsLoop = (g: ConvGeometry, a: Float32Array, b: Float32Array, out: Float32Array) => void;

/** Whether the XNNPACK rewrites can run: a wasm backend with the forward kernels they call. */
function canUseWasm(backendName: string, backend: tf.KernelBackend, kernels: string[]): boolean {
  return asWasm(backend) != null && kernels.every((k) => tf.getKernel(k, backendName) != null);
}

/** Fills a new float32 output from JS; frees it again if the loop throws. */
function runJs(backend: tf.KernelBackend, shape: number[], loop: (out: Float32Array) => void): tf.TensorInfo {
  const out = new F32Output(backend, shape);
  try {
    loop(out.values); // read input views after this allocation (wasm heap views can detach)
    return out.finish();
  } catch (e) {
    out.discard();
    throw e;
  }
}

function filterGrad(backendName: string, depthwise: boolean): tf.KernelFunc {
  const loop: JsLoop = depthwise ? depthwiseFilterGradJs : conv2dFilterGradJs;
  return ({ inputs, backend: b, attrs }) => {
    const backend = b as tf.KernelBackend;
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = attrs as unknown as Attrs;
    if (!a.filterShape) throw new Error('filterShape attribute missing');
    const g = convGeometry(x.shape, a.filterShape, a, depthwise);
    assertDyShape(g, dy.shape);
    const wasm = asWasm(backend);
    if (!depthwise && wasm && canUseWasm(backendName, backend, ['Conv2D', 'Transpose'])) {
      return conv2dFilterGradWasm(backendName, wasm, x, dy, g);
    }
    return runJs(backend, [...a.filterShape], (out) => loop(g, readF32(backend, x), readF32(backend, dy), out));
  };
}

function inputGrad(backendName: string, depthwise: boolean): tf.KernelFunc {
  const loop: JsLoop = depthwise ? depthwiseInputGradJs : conv2dInputGradJs;
  const forward = depthwise ? 'DepthwiseConv2dNative' : 'Conv2D';
  return ({ inputs, backend: b, attrs }) => {
    const backend = b as tf.KernelBackend;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = attrs as unknown as Attrs;
    if (!a.inputShape) throw new Error('inputShape attribute missing');
    const g = convGeometry(a.inputShape, filter.shape, a, depthwise);
    assertDyShape(g, dy.shape);
    const wasm = asWasm(backend);
    if (wasm && canUseWasm(backendName, backend, [forward])) {
      const res = inputGradWasm(backendName, wasm, dy, filter, g);
      if (res) return res;
    }
    return runJs(backend, [...a.inputShape], (out) => loop(g, readF32(backend, dy), readF32(backend, filter), out));
  };
}

const KERNEL_FUNCS: Record<TrainingKernelName, (backendName: string) => tf.KernelFunc> = {
  Conv2DBackpropFilter: (b) => filterGrad(b, false),
  Conv2DBackpropInput: (b) => inputGrad(b, false),
  DepthwiseConv2dNativeBackpropFilter: (b) => filterGrad(b, true),
  DepthwiseConv2dNativeBackpropInput: (b) => inputGrad(b, true),
};

const configCache = new Map<string, tf.KernelConfig[]>();

/**
 * The four backprop kernels as tfjs KernelConfigs for `backendName`. On wasm they run as XNNPACK
 * convolutions where possible; elsewhere (and as fallback) as register-tiled typed-array loops.
 * The same objects are returned on every call, so registration can be checked by identity.
 */
export function trainingKernelConfigs(backendName: string): tf.KernelConfig[] {
  let configs = configCache.get(backendName);
  if (!configs) {
    configs = TRAINING_KERNEL_NAMES.map((kernelName) => ({
      kernelName,
      backendName,
      kernelFunc: KERNEL_FUNCS[kernelName](backendName),
    }));
    configCache.set(backendName, configs);
  }
  return configs;
}
