/**
 * `tsx src/bench/drift.bench.ts train DIR [floatSteps] [qatSteps]` trains the demo's MobileNetV2
 * briefly and saves the QAT model in DIR; `… measure DIR [images]` loads it and counts, for every
 * quantized value, how many of its int8 levels differ between the QAT model's predict and LiteRT
 * (XNNPACK) — where a deep network's deployed outputs drift from the trained model, layer by layer.
 * DRIFT_FLOAT=1 measures the float fake-quant inference path instead of the integer-exact one.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildDemoModel, loadFashionMnist, toTensors } from '@qatkit/cli';
import type { Graph } from '@qatkit/core';
import { exportTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt } from '@qatkit/litert-runner';
import { initBackend, quantizeModel, setExactInference, toGraph } from '@qatkit/tfjs';
import { runDeployed } from '../deployed.js';

const [mode, dir = '/tmp/qatkit-drift', a, b] = process.argv.slice(2);

async function train(floatSteps: number, qatSteps: number): Promise<void> {
  const data = await loadFashionMnist(undefined);
  const { xs, ys } = toTensors(data.train, 64 * Math.max(floatSteps, qatSteps));
  const model = buildDemoModel('mobilenetv2');
  const fit = async (m: tf.LayersModel, steps: number, lr: number) => {
    m.compile({ optimizer: tf.train.adam(lr), loss: tf.losses.softmaxCrossEntropy });
    await m.fit(xs.slice(0, 64 * steps), ys.slice(0, 64 * steps), { epochs: 1, batchSize: 64, verbose: 0 });
  };
  await fit(model, floatSteps, 2e-3);
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  await fit(qat, qatSteps, 2e-4);
  mkdirSync(dir, { recursive: true });
  await qat.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...artifacts, weightData: undefined }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  console.log(`saved the QAT model in ${dir}`);
}

/** Per value: how many levels differ (and by how many steps at most) between predict and LiteRT. */
async function measure(images: number): Promise<void> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelArtifacts;
  const weights = readFileSync(join(dir, 'weights.bin'));
  const saved = await tf.loadLayersModel(tf.io.fromMemory({ ...json, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
  // The saved weights in a QAT model this version builds (its QAT layer classes), layer by layer.
  const qat = quantizeModel(buildDemoModel('mobilenetv2'), { inputRange: [0, 1] });
  for (const layer of qat.layers) if (layer.weights.length > 0) layer.setWeights(saved.getLayer(layer.name).getWeights());
  const graph = toGraph(qat);
  // DRIFT_FLOAT=1: predict on the float fake-quant path (as before integer-exact inference).
  setExactInference(qat, process.env['DRIFT_FLOAT'] !== '1');
  // The int8 file, to check that a change to the QAT layers leaves the export's bytes alone.
  if (process.env['DRIFT_TAG']) writeFileSync(join(dir, `model-${process.env['DRIFT_TAG']}.tflite`), exportTflite(graph, { io: 'int8' }));
  // Every int8 value an op makes that has a fake-quant layer in the QAT model.
  const names = new Set(qat.layers.map((l) => l.name));
  const values = graph.ops.flatMap((op) => op.outputs).filter((t) => names.has(`${t.replace(/\//g, '__')}_act_quant`) && !graph.outputs.includes(t));
  const probe: Graph = { ...graph, outputs: [...graph.outputs, ...values] };
  const model = tf.model({ inputs: qat.inputs, outputs: [...qat.outputs, ...values.map((t) => qat.getLayer(`${t.replace(/\//g, '__')}_act_quant`).output as tf.SymbolicTensor)] });
  const data = await loadFashionMnist(undefined);
  const { xs: all } = toTensors(data.test, images);
  const rt = await loadLiteRt();
  const n = probe.outputs.length;
  const diff = new Array<number>(n).fill(0);
  const worst = new Array<number>(n).fill(0);
  const sizes = new Array<number>(n).fill(0);
  let argSame = 0;
  let beyond = 0;
  let predictMs = 0;
  // In chunks: every layer's values for thousands of images would not fit in memory at once.
  const CHUNK = 200;
  for (let from = 0; from < images; from += CHUNK) {
    const count = Math.min(CHUNK, images - from);
    const xs = all.slice(from, count);
    const deployed = await runDeployed(rt, probe, 'float32', [xs]);
    const t0 = performance.now();
    const expected = tf.tidy(() => (model.predict(xs) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array));
    predictMs += performance.now() - t0;
    probe.outputs.forEach((name, k) => {
      const step = graph.tensors[name]!.quantization!.scale[0]!;
      const e = expected[k]!;
      const per = e.length / count;
      for (let s = 0; s < count; s++) {
        const got = deployed[s]![k]!;
        let argE = 0;
        let argG = 0;
        for (let j = 0; j < per; j++) {
          const raw = Math.abs(got[j]! - e[s * per + j]!) / step;
          const steps = Math.round(raw);
          if (steps > 0) diff[k]!++;
          if (k === 0 && raw > 1 + 1e-3) beyond++;
          worst[k] = Math.max(worst[k]!, steps);
          if (e[s * per + j]! > e[s * per + argE]!) argE = j;
          if (got[j]! > got[argG]!) argG = j;
        }
        if (k === 0 && argE === argG) argSame++;
      }
      sizes[k]! += e.length;
    });
    xs.dispose();
  }
  console.log(`predict ${predictMs.toFixed(0)} ms for ${images} images`);
  probe.outputs.forEach((name, k) => {
    const extra = k === 0 ? `, argmax agreement ${((argSame / images) * 100).toFixed(2)}%` : '';
    console.log(`${name.padEnd(60)} ${String(diff[k]).padStart(7)} / ${String(sizes[k]).padStart(9)} differ (${((diff[k]! / sizes[k]!) * 100).toFixed(3)}%), max ${worst[k]} steps${extra}`);
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const differing = diff.reduce((a, b) => a + b, 0);
  console.log(`all values: ${differing} / ${total} differ; output logits > 1 step apart: ${((beyond / sizes[0]!) * 100).toFixed(2)}%`);
}

await initBackend('wasm');
if (mode === 'train') await train(Number(a ?? 150), Number(b ?? 60));
else await measure(Number(a ?? 200));
