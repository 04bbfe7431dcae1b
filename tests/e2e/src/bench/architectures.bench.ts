/**
 * `pnpm bench` (tests/e2e): QAT train step ÷ float train step on the wasm backend for the
 * reference architectures (BatchNorm folded in QAT), interleaved in one run — this machine is
 * shared and noisy, so only same-run ratios mean much.
 */
import * as tf from '@tensorflow/tfjs';
import { buildDemoCnn } from '@qatkit/cli';
import { mobilenetV2, resnet } from '@qatkit/models';
import { initBackend, quantizeModel } from '@qatkit/tfjs';

const BATCH = 32;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function stepMs(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, steps: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  return (performance.now() - t) / steps;
}

async function measure(name: string, build: () => tf.LayersModel, rounds: number, steps: number) {
  const float = build();
  const qat = quantizeModel(build(), { inputRange: [0, 1] });
  const shape = float.inputs[0]!.shape.slice(1) as number[];
  const classes = float.outputs[0]!.shape[1]!;
  const xs = tf.randomUniform([BATCH, ...shape], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, classes, 'int32', 2) as tf.Tensor1D, classes).toFloat();
  for (const m of [float, qat]) m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  await stepMs(float, xs, ys, 1);
  await stepMs(qat, xs, ys, 1);
  const f: number[] = [];
  const q: number[] = [];
  for (let r = 0; r < rounds; r++) {
    f.push(await stepMs(float, xs, ys, steps));
    q.push(await stepMs(qat, xs, ys, steps));
  }
  tf.dispose([xs, ys]);
  float.dispose();
  qat.dispose();
  return { name, floatMs: median(f), qatMs: median(q) };
}

const backend = await initBackend('wasm');
const rows = [
  await measure('demo CNN + BatchNorm, 28×28×1', () => buildDemoCnn(), 5, 3),
  await measure('MobileNetV2-0.35, 96×96×3, 10 classes', () => mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10 }), 3, 2),
  await measure('ResNet-20, 32×32×3, 10 classes', () => resnet({ depth: 20, inputShape: [32, 32, 3], classes: 10 }), 3, 2),
];
console.log(`\nQAT train step vs float train step, backend ${backend}, batch ${BATCH}, medians of interleaved rounds\n`);
console.log('model                                    float step    QAT step   QAT examples/s   QAT ÷ float');
for (const r of rows) {
  console.log(`${r.name.padEnd(40)} ${r.floatMs.toFixed(0).padStart(7)} ms  ${r.qatMs.toFixed(0).padStart(7)} ms  ${((1000 * BATCH) / r.qatMs).toFixed(1).padStart(14)}   ${(r.qatMs / r.floatMs).toFixed(2).padStart(10)}×`);
}
