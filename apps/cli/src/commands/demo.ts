import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { IoType } from '@qatkit/core';
import { exportTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt } from '@qatkit/litert-runner';
import { initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { formatBytes, formatPercent, formatTable } from '../io/table.js';
import { buildDemoModel, floatWeightBytes } from '../train/demo-model.js';
import type { DemoOptions } from './demo-options.js';
import { fitWithProgress } from '../train/fit.js';
import { accuracy, predictClasses, toTensors } from '../train/tensors.js';
import { agreement, runTflite } from '../deploy/run-tflite.js';
import { checkAgreement, type AgreementVerdict } from '../deploy/check-agreement.js';

export { DEMO_DEFAULTS, ARCH_BUDGET, type DemoOptions } from './demo-options.js';

/** Fine-tuning learning rate: a tenth of the float training rate. */
const QAT_LR = 2e-4;

/** What the demo wrote and whether each deployed model agrees with the QAT model. */
export interface DemoResult {
  readonly files: readonly string[];
  readonly checks: readonly { readonly io: IoType; readonly verdict: AgreementVerdict }[];
}

const log = (s = '') => process.stdout.write(`${s}\n`);

/** Float training → QAT fine-tune → int8 TFLite → LiteRT, with a table of what each stage scores. */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const t0 = performance.now();
  const secs = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
  // Data first: a bad --data fails at once, before any backend starts.
  const data = await loadFashionMnist(o.data);
  const backend = await initBackend(o.backend);
  const trainN = Math.min(o.trainSize, data.train.count);
  const testN = Math.min(o.testSize, data.test.count);
  log(`qatkit demo: ${o.arch} on Fashion-MNIST (${data.source === 'full' ? 'full set' : 'committed subset'} from ${data.dir}), ${trainN} training / ${testN} test images, tfjs backend ${backend}`);

  const train = toTensors(data.train, trainN);
  const test = toTensors(data.test, testN);
  const labels = data.test.labels.subarray(0, testN);

  const tFloat = performance.now();
  const model = buildDemoModel(o.arch);
  await fitWithProgress(model, train.xs, train.ys, { epochs: o.epochs, batchSize: o.batchSize, learningRate: 2e-3, label: 'float training' });
  const floatAcc = accuracy(predictClasses(model, test.xs).classes, labels);
  const floatTime = secs(tFloat);

  // Reference with the same training budget as QAT: the float model fine-tuned for the same
  // epochs at the same learning rate, so "int8 − float" measures quantization, not extra training.
  const tRef = performance.now();
  const reference = buildDemoModel(o.arch);
  reference.setWeights(model.getWeights());
  await fitWithProgress(reference, train.xs, train.ys, { epochs: o.qatEpochs, batchSize: o.batchSize, learningRate: QAT_LR, label: 'float fine-tuning (reference)' });
  const refAcc = accuracy(predictClasses(reference, test.xs).classes, labels);
  const refTime = secs(tRef);
  reference.dispose();

  const tQat = performance.now();
  // Pixels are scaled by 1/255, so the input range is exactly [0, 1]: uint8 I/O then takes raw pixels.
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  await fitWithProgress(qat, train.xs, train.ys, { epochs: o.qatEpochs, batchSize: o.batchSize, learningRate: QAT_LR, label: 'QAT fine-tuning' });
  const qatPred = predictClasses(qat, test.xs);
  const qatAcc = accuracy(qatPred.classes, labels);
  const qatTime = secs(tQat);

  const tExport = performance.now();
  const graph = toGraph(qat, { name: 'fashion_cnn_int8' });
  const floatIo = exportTflite(graph, { io: 'float32' });
  const uint8Io = exportTflite(graph, { io: 'uint8' });
  const outDir = resolve(o.out);
  const files = [join(outDir, 'model.tflite'), join(outDir, 'model-uint8.tflite')];
  await writeFileAtomic(files[0]!, floatIo);
  await writeFileAtomic(files[1]!, uint8Io);
  const exportTime = secs(tExport);

  const tRun = performance.now();
  const rt = await loadLiteRt();
  const deployedFloat = await runTflite(rt, floatIo, graph, 'float32', data.test, testN);
  const deployedU8 = await runTflite(rt, uint8Io, graph, 'uint8', data.test, testN);
  const runTime = secs(tRun);
  const step = graph.tensors[graph.outputs[0]!]!.quantization!.scale[0]!;
  const agree = agreement(deployedFloat, qatPred.classes, qatPred.logits, step);
  // Both files are checked: they share the int8 core, but each is what someone would deploy.
  const checks = [
    { io: 'float32' as const, verdict: checkAgreement(agree) },
    { io: 'uint8' as const, verdict: checkAgreement(agreement(deployedU8, qatPred.classes, qatPred.logits, step)) },
  ];

  const floatBytes = floatWeightBytes(model);
  const deployedAcc = accuracy(deployedFloat.classes, labels);
  const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} points`;
  log();
  log(
    formatTable(
      ['stage', 'accuracy', 'size', 'time'],
      [
        [`float32 (tfjs), ${o.epochs} epochs: QAT starts here`, formatPercent(floatAcc), formatBytes(floatBytes), `${floatTime} training`],
        [`float32 (tfjs), +${o.qatEpochs} fine-tuning epoch`, formatPercent(refAcc), formatBytes(floatBytes), `${refTime} training`],
        [`QAT fake-quant (tfjs), +${o.qatEpochs} QAT epoch`, formatPercent(qatAcc), '', `${qatTime} training`],
        ['int8 TFLite, float32 I/O (LiteRT)', formatPercent(deployedAcc), formatBytes(floatIo.length), `${deployedFloat.msPerImage.toFixed(3)} ms/image`],
        ['int8 TFLite, uint8 I/O (LiteRT)', formatPercent(accuracy(deployedU8.classes, labels)), formatBytes(uint8Io.length), `${deployedU8.msPerImage.toFixed(3)} ms/image`],
      ],
    ),
  );
  log();
  log(`deployed int8 − float (same training budget): ${points(deployedAcc - refAcc)}; − the QAT starting point: ${points(deployedAcc - floatAcc)}`);
  log(`LiteRT vs QAT model on ${testN} images: argmax agreement ${formatPercent(agree.argmax)}, logits within one step (${step.toPrecision(3)}) ${formatPercent(agree.withinOneStep)}`);
  log(`int8 .tflite is ${formatPercent(floatIo.length / floatBytes)} of the float weights (${formatBytes(floatIo.length)} vs ${formatBytes(floatBytes)})`);
  log(`export ${exportTime}, LiteRT scoring ${runTime}; wrote ${files[0]!} and model-uint8.tflite; total ${secs(t0)}`);
  tf.dispose([train.xs, train.ys, test.xs, test.ys]);
  return { files, checks };
}
