import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { builtinKernel, registerTrainingKernels, TRAINING_KERNEL_NAMES, trainingKernelConfigs, unregisterTrainingKernels } from './index.js';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

const ours = (kernel: string, backendName: string) =>
  trainingKernelConfigs(backendName).find((c) => c.kernelName === kernel)!.kernelFunc;

describe('registerTrainingKernels', () => {
  it('adds the kernels wasm lacks, replaces the slow cpu ones, and is idempotent', () => {
    for (const k of TRAINING_KERNEL_NAMES) expect(tf.getKernel(k, 'wasm')?.kernelFunc).toBe(ours(k, 'wasm'));
    expect(registerTrainingKernels('wasm')).toEqual([]);

    const cpuBuiltins = TRAINING_KERNEL_NAMES.map((k) => tf.getKernel(k, 'cpu')!.kernelFunc);
    expect(registerTrainingKernels('cpu')).toEqual([...TRAINING_KERNEL_NAMES]);
    expect(registerTrainingKernels('cpu')).toEqual([]);
    TRAINING_KERNEL_NAMES.forEach((k, i) => {
      expect(tf.getKernel(k, 'cpu')!.kernelFunc).toBe(ours(k, 'cpu'));
      expect(builtinKernel(k, 'cpu')!.kernelFunc).toBe(cpuBuiltins[i]);
    });
    unregisterTrainingKernels('cpu');
    TRAINING_KERNEL_NAMES.forEach((k, i) => expect(tf.getKernel(k, 'cpu')!.kernelFunc).toBe(cpuBuiltins[i]));
  });

  it('leaves existing kernels of other backends alone', () => {
    const fake = { kernelName: 'Conv2DBackpropFilter', backendName: 'qatkit-test', kernelFunc: () => ({}) as tf.TensorInfo };
    tf.registerKernel(fake);
    expect(registerTrainingKernels('qatkit-test')).toEqual(TRAINING_KERNEL_NAMES.slice(1));
    expect(tf.getKernel('Conv2DBackpropFilter', 'qatkit-test')!.kernelFunc).toBe(fake.kernelFunc);
  });
});

/** Conv2D -> DepthwiseConv2D (x2, stride 2) -> loss, with gradients for input and both filters. */
function gradStep(x: tf.Tensor4D, w: tf.Tensor4D, dw: tf.Tensor4D): tf.Tensor[] {
  return tf.tidy(() =>
    tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.depthwiseConv2d(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')), c as tf.Tensor4D, 2, 'same').square().sum(),
    )([x, w, dw]),
  );
}

describe.each(['wasm', 'cpu'])('memory on %s', (backendName) => {
  it('is stable across repeated gradient calls (engine tensors and backend buffers)', async () => {
    await tf.setBackend(backendName);
    registerTrainingKernels(backendName);
    const x = tf.randomNormal([3, 13, 11, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 8]) as tf.Tensor4D;
    const dw = tf.randomNormal([3, 3, 8, 2]) as tf.Tensor4D;
    tf.dispose(gradStep(x, w, dw)); // warm-up
    const before = tf.memory();
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 10; i++) {
      const gs = gradStep(x, w, dw);
      gs.forEach((g) => expect(g.dataSync().every(Number.isFinite)).toBe(true));
      tf.dispose(gs);
    }
    // the kernels' intermediates are raw backend buffers, which tf.memory() alone would not show
    expect(tf.backend().numDataIds()).toBe(buffers);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([x, w, dw]);
    await tf.setBackend('wasm');
  });
});

function tinyModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'valid', activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return m;
}

describe('end to end on wasm', () => {
  it('tf.variableGrads of a Conv2D + DepthwiseConv2D model match the cpu built-ins', async () => {
    await tf.setBackend('wasm');
    const model = tinyModel();
    const xs = tf.randomUniform([5, 12, 12, 2]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3);
    const lossFn = () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar;
    const onWasm = tf.variableGrads(lossFn);
    const wasmGrads = Object.fromEntries(Object.entries(onWasm.grads).map(([k, g]) => [k, g.arraySync()]));
    tf.dispose([onWasm.value, ...Object.values(onWasm.grads)]);

    unregisterTrainingKernels('cpu'); // reference: tfjs's own cpu kernels
    await tf.setBackend('cpu');
    const onCpu = tf.variableGrads(lossFn);
    expect(Object.keys(onCpu.grads).sort()).toEqual(Object.keys(wasmGrads).sort());
    for (const [k, g] of Object.entries(onCpu.grads)) {
      const want = g.dataSync();
      const got = tf.tensor(wasmGrads[k] as number[]).dataSync();
      const scale = Math.max(...Array.from(want, Math.abs), 1e-6);
      want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(1e-4 * scale));
    }
    tf.dispose([onCpu.value, ...Object.values(onCpu.grads), xs, ys]);
    model.dispose();
    await tf.setBackend('wasm');
  });

  it('model.fit trains: every weight changes and the loss is finite', async () => {
    await tf.setBackend('wasm');
    const model = tinyModel();
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const xs = tf.randomUniform([16, 12, 12, 2]);
    const ys = tf.oneHot(tf.randomUniform([16], 0, 3, 'int32') as tf.Tensor1D, 3);
    const h = await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0 });
    expect((h.history.loss as number[]).every(Number.isFinite)).toBe(true);
    model.getWeights().forEach((w, i) => {
      const now = w.dataSync();
      expect(now.some((v, j) => v !== before[i]![j])).toBe(true);
    });
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

describe('kernel edge cases on wasm', () => {
  it('falls back to the JS loop for explicit pads the XNNPACK rewrite cannot express, without leaking', () => {
    const backend = tf.findBackend('wasm')!;
    const dy = tf.randomNormal([1, 8, 8, 3]);
    const filter = tf.randomNormal([3, 3, 2, 3]);
    const attrs = { strides: 1, pad: [[0, 0], [0, 3], [3, 0], [0, 0]], dataFormat: 'NHWC', inputShape: [1, 7, 7, 2] };
    const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const inputs = { dy: info(dy), filter: info(filter) };
    const buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) {
      const out = ours('Conv2DBackpropInput', 'wasm')({ inputs, backend, attrs: attrs as never }) as tf.TensorInfo;
      expect(out.shape).toEqual([1, 7, 7, 2]);
      backend.disposeData(out.dataId);
    }
    expect(backend.numDataIds()).toBe(buffers);
    tf.dispose([dy, filter]);
  });
});
