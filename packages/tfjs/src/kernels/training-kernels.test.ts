import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { registerTrainingKernels, trainingKernelConfigs } from './index.js';

// Each qatkit kernel is checked against the cpu backend's built-in kernel (captured before ours
// replace it) on random inputs. The built-ins ignore dilation, so dilated cases are checked
// against the equivalent undilated problem with a zero-stuffed filter.

type Arr = { values: Float32Array; shape: number[] };
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case { batch: number; h: number; w: number; inC: number; outC: number; k: number; stride: number; dil: number; pad: Pad }

const builtin = new Map<string, tf.KernelFunc>();

beforeAll(async () => {
  await initBackend('wasm');
  for (const c of trainingKernelConfigs('cpu')) builtin.set(c.kernelName, tf.getKernel(c.kernelName, 'cpu')!.kernelFunc);
  registerTrainingKernels('cpu');
});

/** Runs a kernel function directly on a backend with fresh copies of the inputs; frees everything. */
function call(kf: tf.KernelFunc, backendName: string, inputs: Record<string, Arr>, attrs: object): Arr {
  const backend = tf.findBackend(backendName)!;
  const infos: Record<string, tf.TensorInfo> = {};
  for (const [k, v] of Object.entries(inputs)) {
    infos[k] = { dataId: backend.write(v.values.slice(), v.shape, 'float32'), shape: v.shape, dtype: 'float32' };
  }
  const out = kf({ inputs: infos, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  const values = Float32Array.from(backend.readSync(out.dataId) as Float32Array);
  Object.values(infos).forEach((i) => backend.disposeData(i.dataId));
  backend.disposeData(out.dataId);
  return { values, shape: out.shape };
}

let seed = 12345;
function rand(shape: number[]): Arr {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    values[i] = seed / 2 ** 31 - 1;
  }
  return { values, shape };
}

/** [k, k, a, b] filter -> [(k-1)d+1, ..] with zeros between taps. */
function dilateFilter(f: Arr, d: number): Arr {
  const [k, , a, b] = f.shape as [number, number, number, number];
  const ke = (k - 1) * d + 1;
  const out = new Float32Array(ke * ke * a * b);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    out.set(f.values.subarray((i * k + j) * a * b, (i * k + j + 1) * a * b), (i * d * ke + j * d) * a * b);
  }
  return { values: out, shape: [ke, ke, a, b] };
}

/** Inverse of dilateFilter for a gradient: keep the taps at multiples of d. */
function undilate(g: Arr, k: number, d: number): Arr {
  const [ke, , a, b] = g.shape as [number, number, number, number];
  const out = new Float32Array(k * k * a * b);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    const from = (i * d * ke + j * d) * a * b;
    out.set(g.values.subarray(from, from + a * b), (i * k + j) * a * b);
  }
  return { values: out, shape: [k, k, a, b] };
}

function expectClose(got: Arr, want: Arr): void {
  expect(got.shape).toEqual(want.shape);
  let scale = 0, err = 0;
  for (let i = 0; i < want.values.length; i++) {
    scale = Math.max(scale, Math.abs(want.values[i]!));
    err = Math.max(err, Math.abs(got.values[i]! - want.values[i]!));
  }
  expect(err).toBeLessThanOrEqual(1e-4 * Math.max(scale, 1e-6));
}

const grid: Case[] = [];
for (const k of [1, 3, 5]) for (const stride of [1, 2]) for (const dil of [1, 2]) for (const pad of ['same', 'valid'] as const) {
  if (stride > 1 && dil > 1) continue; // tfjs-core rejects strides and dilations both > 1
  for (const batch of [1, 3]) grid.push({ batch, h: 9, w: 11, inC: 3, outC: 5, k, stride, dil, pad });
}
grid.push({ batch: 2, h: 8, w: 7, inC: 4, outC: 8, k: 3, stride: 1, dil: 1, pad: 'same' }); // multiples of 4 (tiled paths)
grid.push({ batch: 2, h: 8, w: 7, inC: 6, outC: 9, k: 3, stride: 2, dil: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] });
grid.push({ batch: 2, h: 7, w: 7, inC: 2, outC: 3, k: 3, stride: 1, dil: 1, pad: [[0, 0], [0, 3], [3, 0], [0, 0]] });

const label = (c: Case) =>
  `${c.batch}x${c.h}x${c.w}x${c.inC} k${c.k} s${c.stride} d${c.dil} ${typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad)}`;

describe.each(['wasm', 'cpu'])('qatkit backprop kernels on %s match the cpu built-ins', (backendName) => {
  const ours = (name: string) => trainingKernelConfigs(backendName).find((c) => c.kernelName === name)!.kernelFunc;

  it.each(grid.map((c) => [label(c), c] as const))('Conv2D %s', (_, c) => {
    const filterShape = [c.k, c.k, c.inC, c.outC];
    const info = tf.backend_util.computeConv2DInfo([c.batch, c.h, c.w, c.inC], filterShape as never, c.stride, c.dil, c.pad);
    const x = rand([c.batch, c.h, c.w, c.inC]), dy = rand(info.outShape), w = rand(filterShape);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    const dilAttrs = c.dil > 1 ? { dilations: c.dil } : {};
    const wEff = dilateFilter(w, c.dil);
    const refDw = call(builtin.get('Conv2DBackpropFilter')!, 'cpu', { x, dy }, { ...attrs, filterShape: wEff.shape });
    expectClose(call(ours('Conv2DBackpropFilter'), backendName, { x, dy }, { ...attrs, ...dilAttrs, filterShape }), undilate(refDw, c.k, c.dil));
    const inputShape = [c.batch, c.h, c.w, c.inC];
    const refDx = call(builtin.get('Conv2DBackpropInput')!, 'cpu', { dy, filter: wEff }, { ...attrs, inputShape });
    expectClose(call(ours('Conv2DBackpropInput'), backendName, { dy, filter: w }, { ...attrs, ...dilAttrs, inputShape }), refDx);
  });

  it.each(grid.flatMap((c) => [1, 2].map((m) => [`${label(c)} x${m}`, c, m] as const)))('Depthwise %s', (_, c, m) => {
    const filterShape = [c.k, c.k, c.inC, m];
    const info = tf.backend_util.computeConv2DInfo([c.batch, c.h, c.w, c.inC], filterShape as never, c.stride, c.dil, c.pad, undefined, true);
    const x = rand([c.batch, c.h, c.w, c.inC]), dy = rand(info.outShape), w = rand(filterShape);
    const attrs = { strides: c.stride, pad: c.pad, dilations: 1 };
    const wEff = dilateFilter(w, c.dil);
    const refDw = call(builtin.get('DepthwiseConv2dNativeBackpropFilter')!, 'cpu', { x, dy }, { ...attrs, filterShape: wEff.shape });
    const got = call(ours('DepthwiseConv2dNativeBackpropFilter'), backendName, { x, dy }, { ...attrs, dilations: c.dil, filterShape });
    expectClose(got, undilate(refDw, c.k, c.dil));
    const inputShape = [c.batch, c.h, c.w, c.inC];
    const refDx = call(builtin.get('DepthwiseConv2dNativeBackpropInput')!, 'cpu', { dy, filter: wEff }, { ...attrs, inputShape });
    expectClose(call(ours('DepthwiseConv2dNativeBackpropInput'), backendName, { dy, filter: w }, { ...attrs, dilations: c.dil, inputShape }), refDx);
  });

  it('rejects NCHW and mismatched dy shapes', () => {
    const x = rand([1, 5, 5, 2]), dy = rand([1, 4, 4, 3]);
    const attrs = { strides: 1, pad: 'same', filterShape: [3, 3, 2, 3] };
    expect(() => call(ours('Conv2DBackpropFilter'), backendName, { x, dy }, { ...attrs, dataFormat: 'NHWC' })).toThrow(/dy shape/);
    expect(() => call(ours('Conv2DBackpropFilter'), backendName, { x, dy }, { ...attrs, dataFormat: 'NCHW' })).toThrow(/NHWC/);
  });
});
