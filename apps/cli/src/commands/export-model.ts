import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '@qatkit/exporter-onnx';
import { exportTflite } from '@qatkit/exporter-tflite';
import { initBackend, planOf, toFloatGraph, toGraph } from '@qatkit/tfjs';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readTfjsModel } from '../io/read-tfjs-model.js';
import { UsageError } from '../cli/usage.js';
import type { ExportModelOptions } from './export-options.js';

export { EXPORT_FORMATS, EXPORT_IO, type ExportModelOptions } from './export-options.js';

export interface ExportModelResult {
  readonly file: string;
  /** 'int8' for a QAT model, 'float' for any other. */
  readonly kind: 'int8' | 'float';
  readonly bytes: number;
}

/**
 * Loads a model saved with tfjs's `model.save` and writes it as a .tflite or .onnx file: a QAT
 * model (one from `quantizeModel`, which carries its plan) as its int8 graph, any other model as a
 * float file. The file is written atomically; nothing is written when the export fails.
 */
export async function exportModel(options: ExportModelOptions): Promise<ExportModelResult> {
  await initBackend('cpu');
  const artifacts = await readTfjsModel(options.model);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  try {
    const qat = planOf(model) !== undefined;
    if (!qat && options.io !== 'float32') {
      throw new UsageError(`${options.model} is a float model (not saved from quantizeModel), which exports with float32 I/O only; got --io ${options.io}`);
    }
    const graph = qat ? toGraph(model) : toFloatGraph(model);
    const bytes = options.format === 'onnx' ? exportOnnx(graph, { io: options.io }) : exportTflite(graph, { io: options.io });
    const file = resolve(options.out ?? join(dirname(options.model), `model.${options.format}`));
    await writeFileAtomic(file, bytes);
    return { file, kind: qat ? 'int8' : 'float', bytes: bytes.length };
  } finally {
    model.dispose();
  }
}
