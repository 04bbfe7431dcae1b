import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '@qatkit/exporter-onnx';
import { exportTflite } from '@qatkit/exporter-tflite';
import { calibrate, initBackend, planOf, quantizeModel, toGraph, type CalibrationResult } from '@qatkit/tfjs';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readTfjsModel } from '../io/read-tfjs-model.js';
import { UsageError } from '../cli/usage.js';
import { toTensors } from '../train/tensors.js';
import type { PtqOptions } from './ptq-options.js';

export interface PtqResult {
  readonly file: string;
  readonly bytes: number;
  readonly samples: number;
  readonly calibration: CalibrationResult;
}

/** Progress lines at each tenth of the batches (a log, not a terminal animation: CI reads it too). */
function progressLines(label: string, write: (text: string) => void): (done: number, total?: number) => void {
  let lastDecile = -1;
  return (done, total) => {
    const decile = total ? Math.floor((10 * done) / total) : done;
    if (decile === lastDecile) return;
    lastDecile = decile;
    write(`${label}: ${done}${total ? `/${total}` : ''} batches${total ? ` (${Math.floor((100 * done) / total)}%)` : ''}\n`);
  };
}

/**
 * Float model + calibration images → int8 model file, no training: quantizeModel, calibrate by the
 * chosen method on Fashion-MNIST training images, export. Nothing is written when a step fails.
 */
export async function runPtq(o: PtqOptions, log: (text: string) => void): Promise<PtqResult> {
  await initBackend('wasm');
  const model = await tf.loadLayersModel(tf.io.fromMemory(await readTfjsModel(o.model)));
  try {
    if (planOf(model)) throw new UsageError(`${o.model} is already a QAT model; ptq takes the float model (export a QAT model with "qatkit export")`);
    const shape = model.inputs.length === 1 ? model.inputs[0]!.shape.slice(1) : [];
    if (shape.join(',') !== '28,28,1') {
      throw new UsageError(`${o.model}: ptq calibrates on 28×28×1 Fashion-MNIST images, but the model takes ${model.inputs.map((i) => `[${i.shape.slice(1).join(', ')}]`).join(' and ')}`);
    }
    const data = await loadFashionMnist(o.data);
    const n = Math.min(o.samples, data.train.count);
    const { xs, ys } = toTensors(data.train, n);
    ys.dispose();
    const batches: tf.Tensor[] = [];
    for (let i = 0; i < n; i += o.batchSize) batches.push(xs.slice(i, Math.min(o.batchSize, n - i)));
    xs.dispose();
    const qat = quantizeModel(model, { inputRange: [o.inputRange[0], o.inputRange[1]] });
    try {
      const label = `calibrating (${o.method}${o.percentile === undefined ? '' : ` ${o.percentile}`})`;
      const calibration = calibrate(qat, batches, { method: o.method, ...(o.percentile === undefined ? {} : { percentile: o.percentile }), onProgress: progressLines(label, log) });
      const graph = toGraph(qat, { name: `${model.name}_ptq_${o.method}` });
      const bytes = o.format === 'onnx' ? exportOnnx(graph, { io: o.io }) : exportTflite(graph, { io: o.io });
      const file = resolve(o.out ?? join(dirname(o.model), `model-ptq-${o.method}.${o.format}`));
      await writeFileAtomic(file, bytes);
      return { file, bytes: bytes.length, samples: n, calibration };
    } finally {
      tf.dispose(batches);
      qat.dispose();
    }
  } finally {
    model.dispose();
  }
}
