/**
 * `pnpm bench` (tests/onnx): onnxruntime CPU latency of the float ONNX export against the QDQ
 * export (int8 and uint8 activations) of the same model, batch 1, one thread, all optimizations,
 * medians of interleaved rounds in one run — this machine is shared and noisy, so only same-run
 * ratios mean much.
 */
import * as tf from '@tensorflow/tfjs';
import { buildDemoCnn } from '@qatkit/cli';
import { exportOnnx, type OnnxExportOptions } from '@qatkit/exporter-onnx';
import { mobilenetV2 } from '@qatkit/models';
import { loadOnnxRuntime, type CompiledOnnx } from '@qatkit/onnx-runner';
import { calibrate, initBackend, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeRuns(model: CompiledOnnx, x: Float32Array, shape: number[], runs: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < runs; i++) await model.run([{ data: x, shape }]);
  return (performance.now() - t) / runs;
}

async function measure(name: string, build: () => tf.LayersModel, batch: number, rounds: number, runs: number) {
  const model = build();
  const shape = model.inputs[0]!.shape.map((d) => d ?? batch);
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  calibrate(qat, [tf.randomUniform([8, ...shape.slice(1)], 0, 1, 'float32', 1)]);
  const ort = await loadOnnxRuntime();
  const variants: [string, Uint8Array][] = [
    ['float', exportOnnx(toFloatGraph(model, { batchSize: batch }))],
    ...(['int8', 'uint8'] as const).map((activations): [string, Uint8Array] => [`QDQ ${activations}`, exportOnnx(toGraph(qat, { batchSize: batch }), { activations } satisfies OnnxExportOptions)]),
  ];
  const sessions = await Promise.all(variants.map(([, bytes]) => ort.compile(bytes)));
  const x = tf.randomUniform(shape, 0, 1, 'float32', 2).dataSync() as Float32Array;
  const times = sessions.map(() => [] as number[]);
  for (const s of sessions) await timeRuns(s, x, shape, 3);
  for (let r = 0; r < rounds; r++) for (const [k, s] of sessions.entries()) times[k]!.push(await timeRuns(s, x, shape, runs));
  await Promise.all(sessions.map((s) => s.dispose()));
  model.dispose();
  qat.dispose();
  return { name: `${name}, batch ${batch}`, ms: times.map(median) };
}

/** The stack runtime-notes.md §3 measured (3.2× for QDQ over float there): a compute-bound reference. */
function convStack(): tf.LayersModel {
  const input = tf.input({ shape: [56, 56, 64] });
  let y = input;
  for (let i = 0; i < 4; i++) y = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

await initBackend('cpu');
const cnn = () => buildDemoCnn();
const mobilenet = () => mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10 });
const rows = [
  await measure('demo CNN + BatchNorm, 28×28×1', cnn, 1, 9, 50),
  await measure('demo CNN + BatchNorm, 28×28×1', cnn, 32, 7, 5),
  await measure('MobileNetV2-0.35, 96×96×3', mobilenet, 1, 9, 10),
  await measure('MobileNetV2-0.35, 96×96×3', mobilenet, 16, 5, 2),
  await measure('4× conv3x3 64→64 + ReLU, 56×56', convStack, 1, 5, 3),
];
console.log('\nonnxruntime-node CPU latency per run, 1 thread, graph optimizations "all", medians of interleaved rounds\n');
console.log('model                                        float ONNX   QDQ int8 act.   QDQ uint8 act.   float ÷ best QDQ');
for (const r of rows) {
  const [float, int8, uint8] = r.ms as [number, number, number];
  console.log(`${r.name.padEnd(44)} ${float.toFixed(3).padStart(7)} ms  ${int8.toFixed(3).padStart(10)} ms  ${uint8.toFixed(3).padStart(11)} ms  ${(float / Math.min(int8, uint8)).toFixed(2).padStart(13)}×`);
}
