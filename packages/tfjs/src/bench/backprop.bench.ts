// Backprop kernel benchmark: qatkit's kernels vs the backends' built-in ones, plus model.fit speed.
// Run: npx tsx src/bench/backprop.bench.ts   (add --no-builtin-cpu to skip the ~12 s cpu originals)
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.js';
import { builtinKernel, registerTrainingKernels, TRAINING_KERNEL_NAMES } from '../kernels/index.js';

export interface KernelTiming {
  kernel: string;
  backend: string;
  /** 'qatkit' or 'builtin' */
  impl: string;
  /** median ms per call; null if the backend has no such kernel */
  ms: number | null;
}

const N = 64, H = 28, W = 28, C = 16;

/** Median ms of `f`; a call slower than `slowMs` is measured once only (the cpu originals take seconds). */
function medianMs(f: () => void, reps: number, slowMs = 1000): number {
  const t0 = performance.now();
  f();
  const first = performance.now() - t0;
  if (first > slowMs) return first;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    f();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/** Inputs and attrs of each kernel for the 64x28x28x16 3x3 'same' stride-1 case (depthwise: multiplier 1). */
function caseFor(kernel: string): { inputs: Record<string, tf.Tensor>; attrs: Record<string, unknown> } {
  const conv = kernel.startsWith('Conv2D');
  const filterShape = conv ? [3, 3, C, C] : [3, 3, C, 1];
  const common = conv ? { strides: 1, pad: 'same', dataFormat: 'NHWC' } : { strides: 1, pad: 'same', dilations: 1 };
  const dy = tf.randomNormal([N, H, W, C]);
  if (kernel.endsWith('Filter')) {
    return { inputs: { x: tf.randomNormal([N, H, W, C]), dy }, attrs: { ...common, filterShape } };
  }
  return { inputs: { dy, filter: tf.randomNormal(filterShape) }, attrs: { ...common, inputShape: [N, H, W, C] } };
}

/** Times each backprop kernel, ours and the built-in one, calling kernel functions directly. */
export async function benchBackpropKernels(opts: { backends?: string[]; skipBuiltinCpu?: boolean; reps?: number } = {}) {
  const results: KernelTiming[] = [];
  for (const backendName of opts.backends ?? ['cpu', 'wasm']) {
    await tf.setBackend(backendName);
    registerTrainingKernels(backendName);
    const backend = tf.backend();
    for (const kernel of TRAINING_KERNEL_NAMES) {
      const { inputs, attrs } = caseFor(kernel);
      const infos = Object.fromEntries(
        Object.entries(inputs).map(([k, t]) => [k, { dataId: t.dataId, shape: t.shape, dtype: t.dtype }]),
      );
      const impls: [string, tf.KernelConfig | undefined][] = [
        ['qatkit', tf.getKernel(kernel, backendName)],
        ['builtin', opts.skipBuiltinCpu && backendName === 'cpu' ? undefined : builtinKernel(kernel, backendName)],
      ];
      for (const [impl, config] of impls) {
        const ms = config
          ? medianMs(() => {
              const out = config.kernelFunc({ inputs: infos, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
              backend.disposeData(out.dataId);
            }, opts.reps ?? 7)
          : null;
        results.push({ kernel, backend: backendName, impl, ms });
      }
      Object.values(inputs).forEach((t) => t.dispose());
    }
  }
  return results;
}

/** The small CNN of the report: 28x28x1 -> Conv(16,3x3) -> MaxPool -> Conv(32,3x3) -> MaxPool -> Dense(64) -> Dense(10). */
export function smallCnn(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return m;
}

/** model.fit steps per second (batch 64) of the small CNN on the active backend, after one warm-up epoch. */
export async function benchFitSmallCnn(steps = 20, batch = 64): Promise<number> {
  const model = smallCnn();
  const xs = tf.randomUniform([steps * batch, 28, 28, 1]);
  const ys = tf.oneHot(tf.randomUniform([steps * batch], 0, 10, 'int32') as tf.Tensor1D, 10);
  const fit = () => model.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 });
  await fit();
  const t0 = performance.now();
  await fit();
  const stepsPerSec = steps / ((performance.now() - t0) / 1000);
  tf.dispose([xs, ys]);
  model.dispose();
  return stepsPerSec;
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const skipBuiltinCpu = process.argv.includes('--no-builtin-cpu');
  console.log(`backprop kernels, x ${N}x${H}x${W}x${C}, 3x3 filter (Conv2D ${C}->${C}, depthwise x1), 'same', stride 1`);
  console.log('ms per call (median):');
  const rows = await benchBackpropKernels({ skipBuiltinCpu });
  const fmt = (ms: number | null | undefined) => (ms == null ? '-' : ms.toFixed(1)).padStart(10);
  const cell = (k: string, b: string, i: string) => rows.find((r) => r.kernel === k && r.backend === b && r.impl === i)?.ms;
  console.log(`${'kernel'.padEnd(38)}${'cpu built'.padStart(10)}${'cpu ours'.padStart(10)}${'wasm built'.padStart(11)}${'wasm ours'.padStart(10)}`);
  for (const k of TRAINING_KERNEL_NAMES) {
    console.log(`${k.padEnd(38)}${fmt(cell(k, 'cpu', 'builtin'))}${fmt(cell(k, 'cpu', 'qatkit'))} ${fmt(cell(k, 'wasm', 'builtin'))}${fmt(cell(k, 'wasm', 'qatkit'))}`);
  }
  for (const backendName of ['wasm', 'cpu']) {
    await tf.setBackend(backendName);
    const sps = await benchFitSmallCnn(backendName === 'cpu' ? 5 : 20);
    console.log(`model.fit small CNN, batch 64, ${backendName} + qatkit kernels: ${sps.toFixed(2)} steps/s`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
