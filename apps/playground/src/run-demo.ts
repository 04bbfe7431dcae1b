// The page's pipeline, as `qatkit demo` runs it in Node: float training → QAT fine-tuning →
// int8 graph → .tflite → LiteRT, with each stage's accuracy and size in the results table.
import { quantizeModel, toGraph } from '@qatkit/tfjs';
import { LineChart } from './chart.js';
import type { Split } from './data.js';
import { fashionCnn, floatWeightBytes } from '@qatkit/models';
import { exportBoth, outputStep, runOnLiteRt, withinOneStep } from './deploy.js';
import { accuracy, predict, trainSteps } from './train.js';
import { addDownload, addRow, byId, formatBytes, percent, setText } from './ui.js';

export interface DemoSettings {
  floatSteps: number;
  qatSteps: number;
  batchSize: number;
  /** Test images scored (at most the split has). */
  testCount: number;
}

/** What the page exposes on `window.qatkitPlayground` once a run is done (read by the browser test). */
export interface DemoOutcome {
  floatAccuracy: number;
  qatAccuracy: number;
  deployedAccuracy: number;
  withinOneStep: number;
  tfliteBytes: number;
  floatBytes: number;
  /** A fixed batch (the first test images) with the QAT model's logits, to compare elsewhere. */
  probe: { pixels: number[]; logits: number[]; count: number; step: number };
}

const PROBE = 64;

export async function runDemo(train: Split, test: Split, s: DemoSettings): Promise<DemoOutcome> {
  byId('results').replaceChildren();
  byId('downloads').replaceChildren();
  const chart = new LineChart(byId<HTMLCanvasElement>('chart'), s.floatSteps + s.qatSteps);
  (window as unknown as { qatkitChart: LineChart }).qatkitChart = chart;
  const labels = test.labels.subarray(0, Math.min(s.testCount, test.count));
  const n = labels.length;
  setText('results-count', `${n} test images`);

  setText('status', 'float training…');
  const model = fashionCnn();
  await trainSteps(model, train, {
    steps: s.floatSteps,
    batchSize: s.batchSize,
    learningRate: 2e-3,
    onStep: (r) => chart.add({ ...r, phase: 'float' }),
  });
  const floatAccuracy = accuracy((await predict(model, test, n)).classes, labels);
  const floatBytes = floatWeightBytes(model);
  addRow('results', ['float32 (tfjs)', percent(floatAccuracy), formatBytes(floatBytes), `${s.floatSteps} steps; QAT starts here`]);

  setText('status', 'QAT fine-tuning…');
  // Pixels are scaled by 1/255, so the input range is exactly [0, 1]: uint8 I/O takes raw pixels.
  const qat = quantizeModel(model, { inputRange: [0, 1] });
  await trainSteps(qat, train, {
    steps: s.qatSteps,
    batchSize: s.batchSize,
    learningRate: 2e-4,
    onStep: (r) => chart.add({ ...r, step: s.floatSteps + r.step, phase: 'qat' }),
  });
  const qatPred = await predict(qat, test, n);
  const qatAccuracy = accuracy(qatPred.classes, labels);
  addRow('results', ['QAT fake-quant (tfjs)', percent(qatAccuracy), '', `+${s.qatSteps} QAT steps`]);

  setText('status', 'exporting…');
  const graph = toGraph(qat, { name: 'fashion_cnn_int8' });
  const files = exportBoth(graph);
  addDownload('downloads', 'download-tflite', 'fashion-cnn-int8.tflite', files.float32, 'int8 .tflite, float32 I/O');
  addDownload('downloads', 'download-tflite-uint8', 'fashion-cnn-int8-uint8io.tflite', files.uint8, 'int8 .tflite, uint8 I/O');

  setText('status', 'running the .tflite on LiteRT.js…');
  const step = outputStep(graph);
  const deployed = await runOnLiteRt(files.float32, test, n);
  const deployedAccuracy = accuracy(deployed.classes, labels);
  const agree = withinOneStep(deployed.logits, qatPred.logits, step);
  addRow('results', [
    'int8 TFLite on LiteRT.js (this page)',
    percent(deployedAccuracy),
    `${formatBytes(files.float32.byteLength)} (${percent(files.float32.byteLength / floatBytes)} of float)`,
    `${percent(agree)} of outputs within one step of QAT; ${deployed.msPerImage.toFixed(2)} ms/image`,
  ]);

  const probe = {
    pixels: Array.from(test.images.subarray(0, PROBE * 28 * 28)),
    logits: Array.from(qatPred.logits.subarray(0, PROBE * 10)),
    count: PROBE,
    step,
  };
  return { floatAccuracy, qatAccuracy, deployedAccuracy, withinOneStep: agree, tfliteBytes: files.float32.byteLength, floatBytes, probe };
}
