import * as tf from '@tensorflow/tfjs';
import type { QuantizeScheme } from '@qatkit/core';
import { exportTflite } from '@qatkit/exporter-tflite';
import type { LiteRt } from '@qatkit/litert-runner';
import { default8bit } from '@qatkit/scheme-8bit';
import { nbit } from '@qatkit/scheme-nbit';
import { calibrate, quantizeModel, setExactInference, toFloatGraph, toGraph } from '@qatkit/tfjs';
import type { Split } from '../train/tensors.js';
import { buildDemoModel } from '../train/demo-model.js';
import { accuracy, predictClasses, toTensors } from '../train/tensors.js';
import { STUDY_PERCENTILE, VARIANTS, variantLabel, type Budget, type StudyArch, type StudyRow, type Variant } from './study-plan.js';

const PIXELS = 28 * 28;
/** Seeds the model's initializers and dropout; training reads the data in file order (no shuffle). */
export const STUDY_SEED = 7;

export interface StudyData {
  readonly train: Split;
  readonly test: Split;
}

/** Adam on softmax cross-entropy, data in file order (Fashion-MNIST's files are not class-sorted), so a rerun repeats it. */
async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, epochs: number, b: Budget, learningRate: number, log: (s: string) => void, label: string): Promise<void> {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: tf.losses.softmaxCrossEntropy });
  const steps = Math.ceil(xs.shape[0]! / b.batchSize);
  let last = 0;
  await model.fit(xs, ys, {
    epochs,
    batchSize: b.batchSize,
    shuffle: false,
    verbose: 0,
    callbacks: {
      onBatchEnd: async (batch, logs) => {
        const now = Date.now();
        if (now - last > 15_000 || batch === steps - 1) {
          last = now;
          log(`  ${label}: step ${batch + 1}/${steps} loss ${Number(logs?.['loss'] ?? NaN).toFixed(4)}\n`);
        }
      },
    },
  });
}

/** Class per test image from LiteRT (float32 I/O: the int8 graph quantizes at its edge). */
async function deployedClasses(rt: LiteRt, bytes: Uint8Array, split: Split, n: number): Promise<Int32Array> {
  const model = await rt.compile(bytes);
  try {
    const classes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const data = Float32Array.from(split.images.subarray(i * PIXELS, (i + 1) * PIXELS), (p) => p / 255);
      const out = model.run([{ data, shape: [1, 28, 28, 1] }])[0]!.data as Float32Array;
      let best = 0;
      for (let c = 1; c < out.length; c++) if (out[c]! > out[best]!) best = c;
      classes[i] = best;
    }
    return classes;
  } finally {
    model.dispose();
  }
}

function agreementOf(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

function schemeFor(weightBits: 8 | 4 | 2): QuantizeScheme {
  return weightBits === 8 ? default8bit() : nbit({ weightBits });
}

/**
 * One architecture through every variant: float training once, then each deployed model built
 * from that same float model and scored on LiteRT over the same test images.
 */
export async function runArch(arch: StudyArch, b: Budget, data: StudyData, rt: LiteRt, log: (s: string) => void): Promise<StudyRow[]> {
  const trainN = Math.min(b.trainSize, data.train.count);
  const testN = Math.min(b.testSize, data.test.count);
  const { xs, ys } = toTensors(data.train, trainN);
  const test = toTensors(data.test, testN);
  const labels = data.test.labels.subarray(0, testN);
  const calib = Array.from({ length: Math.ceil(b.calibrationSize / b.batchSize) }, (_, k) => xs.slice(k * b.batchSize, Math.min(b.batchSize, b.calibrationSize - k * b.batchSize)));
  const float = buildDemoModel(arch, STUDY_SEED);
  const models: Models = { float };
  log(`${arch}: float training, ${b.epochs} epochs on ${trainN} images\n`);
  await train(float, xs, ys, b.epochs, b, b.learningRate, log, 'float');
  const rows: StudyRow[] = [];
  try {
    for (const v of VARIANTS) {
      const t0 = performance.now();
      log(`${arch}: ${variantLabel(v, b)}\n`);
      const { bytes, tfjsClasses } = await build(v, arch, models, { xs, ys, testXs: test.xs, calib }, b, log);
      const classes = await deployedClasses(rt, bytes, data.test, testN);
      const row: StudyRow = {
        arch,
        variant: v,
        accuracy: accuracy(classes, labels),
        bytes: bytes.length,
        agreement: tfjsClasses ? agreementOf(classes, tfjsClasses) : Number.NaN,
        seconds: (performance.now() - t0) / 1000,
      };
      log(`  deployed accuracy ${(row.accuracy * 100).toFixed(2)}%, ${row.bytes} bytes, ${row.seconds.toFixed(1)} s\n`);
      rows.push(row);
    }
  } finally {
    tf.dispose([xs, ys, test.xs, test.ys, ...calib]);
    float.dispose();
    models.finetuned?.dispose();
  }
  return rows;
}

/** The float model, and the float model fine-tuned as long as QAT trains once the float-finetune row made it. */
interface Models {
  readonly float: tf.LayersModel;
  finetuned?: tf.LayersModel;
}

interface Tensors {
  readonly xs: tf.Tensor;
  readonly ys: tf.Tensor;
  readonly testXs: tf.Tensor4D;
  readonly calib: readonly tf.Tensor[];
}

/** The deployed file for `v`, and the tfjs model's classes where a quantized model exists. */
async function build(v: Variant, arch: StudyArch, m: Models, t: Tensors, b: Budget, log: (s: string) => void): Promise<{ bytes: Uint8Array; tfjsClasses?: Int32Array }> {
  if (v.kind === 'float') return { bytes: exportTflite(toFloatGraph(m.float), { io: 'float32' }) };
  if (v.kind === 'float-finetune') {
    // Same extra training as the QAT rows get, without quantization: what "QAT − float" should be
    // read against. Kept for the ptq-finetune rows (PTQ at QAT's training budget).
    const ref = buildDemoModel(arch, STUDY_SEED);
    ref.setWeights(m.float.getWeights());
    try {
      await train(ref, t.xs, t.ys, b.qatEpochs, b, b.qatLearningRate, log, 'float fine-tuning');
    } catch (e) {
      ref.dispose();
      throw e;
    }
    m.finetuned = ref;
    return { bytes: exportTflite(toFloatGraph(ref), { io: 'float32' }) };
  }
  let source = m.float;
  if (v.kind === 'ptq-finetune') {
    if (!m.finetuned) throw new Error('study: the ptq-finetune rows need the float-finetune row before them');
    source = m.finetuned;
  }
  const scheme = v.kind === 'qat' ? schemeFor(v.weightBits) : default8bit();
  const qat = quantizeModel(source, { scheme, inputRange: [0, 1] });
  try {
    if (v.kind !== 'qat') {
      calibrate(qat, t.calib, { method: v.method, ...(v.method === 'percentile' ? { percentile: STUDY_PERCENTILE } : {}) });
    } else {
      // QAT starts from MSE-calibrated ranges and clipped weights (what 2-bit weights need most), then trains.
      calibrate(qat, t.calib, { method: 'mse' });
      await train(qat, t.xs, t.ys, b.qatEpochs, b, b.qatLearningRate, log, 'QAT');
    }
    const bytes = exportTflite(toGraph(qat), { io: 'float32' });
    // The agreement column compares LiteRT with tfjs's predict path: integer-exact inference (the
    // default of @qatkit/tfjs; set here so the column does not silently change with the default).
    setExactInference(qat, true);
    return { bytes, tfjsClasses: predictClasses(qat, t.testXs).classes };
  } finally {
    qat.dispose();
  }
}
