/**
 * `pnpm bench`: QAT training speed. For each backend, float and QAT train steps are interleaved
 * in one run (this machine is shared and noisy, so only same-run ratios mean much).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.js';
import { quantizeModel } from '../quantize-model.js';

const BATCH = 64;

function cnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same' }),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function stepMs(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, steps: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  return (performance.now() - t) / steps;
}

async function measure(backend: 'wasm' | 'cpu', rounds: number, stepsPerRound: number) {
  const used = await initBackend(backend);
  const xs = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2) as tf.Tensor1D, 10).toFloat();
  const float = cnn();
  const qat = quantizeModel(cnn(), { inputRange: [0, 1] });
  for (const m of [float, qat]) m.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
  await stepMs(float, xs, ys, 2); // warm-up: kernel setup, first-use allocations
  await stepMs(qat, xs, ys, 2);
  const f: number[] = [];
  const q: number[] = [];
  for (let r = 0; r < rounds; r++) {
    f.push(await stepMs(float, xs, ys, stepsPerRound));
    q.push(await stepMs(qat, xs, ys, stepsPerRound));
  }
  tf.dispose([xs, ys]);
  float.dispose();
  qat.dispose();
  return { backend: used, floatMs: median(f), qatMs: median(q) };
}

const rows = [await measure('wasm', 7, 5), await measure('cpu', 3, 2)];
console.log(`\nQAT training step, batch ${BATCH}, 28×28×1 CNN (2 conv + 2 dense, ~106k params); medians of interleaved rounds\n`);
console.log('backend  float step   QAT step   QAT steps/s   QAT ÷ float');
for (const r of rows) {
  console.log(
    `${r.backend.padEnd(7)}  ${r.floatMs.toFixed(1).padStart(7)} ms  ${r.qatMs.toFixed(1).padStart(7)} ms  ${(1000 / r.qatMs).toFixed(2).padStart(11)}   ${(r.qatMs / r.floatMs).toFixed(2).padStart(10)}×`,
  );
}
