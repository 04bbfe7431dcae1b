// "Your own model": a tfjs Layers model picked from disk (model.json + weight files, read by
// tf.io.browserFiles, never uploaded), quantized, calibrated and exported as an int8 .tflite.
import * as tf from '@tensorflow/tfjs';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { calibrate, quantizeModel, toGraph } from '@qatkit/tfjs';
import type { Split } from './data.js';
import { imagesTensor } from './train.js';
import { addDownload, byId, formatBytes, setText } from './ui.js';

const CALIBRATION_BATCHES = 8;
const BATCH = 32;

/** Calibration inputs: Fashion-MNIST images when the model takes them, else uniform noise in [0, 1]. */
function calibrationBatches(shape: readonly (number | null)[], fashion: boolean, train: Split): tf.Tensor[] {
  if (fashion) return Array.from({ length: CALIBRATION_BATCHES }, (_, i) => imagesTensor(train, i * BATCH, BATCH));
  const dims = shape.slice(1);
  if (dims.some((d) => d === null)) {
    throw new Error(`the model's input shape [${shape.map(String).join(', ')}] has free dimensions besides the batch; a .tflite needs static shapes`);
  }
  return Array.from({ length: CALIBRATION_BATCHES }, () => tf.randomUniform([BATCH, ...(dims as number[])]));
}

async function quantizeAndExport(files: File[], train: Split): Promise<{ tfliteBytes: number; opcodes: string[] }> {
  const json = files.find((f) => f.name.endsWith('.json'));
  if (!json) throw new Error('pick the model.json together with its .bin weight files');
  setText('own-status', `loading ${json.name}…`);
  const model = await tf.loadLayersModel(tf.io.browserFiles([json, ...files.filter((f) => f !== json)]));
  const shape = model.inputs[0]!.shape;
  const fashion = shape.length === 4 && shape[1] === 28 && shape[2] === 28 && shape[3] === 1;
  const qat = quantizeModel(model, fashion ? { inputRange: [0, 1] } : {});
  const batches = calibrationBatches(shape, fashion, train);
  calibrate(qat, batches);
  tf.dispose(batches);
  const bytes = exportTflite(toGraph(qat, { name: `${model.name}_int8` }), { io: 'float32' });
  const opcodes = readTflite(bytes).subgraphs[0]!.operators.map((op) => op.opcode);
  addDownload('own-downloads', 'download-own', `${model.name}-int8.tflite`, bytes, `${model.name} int8 .tflite`);
  setText(
    'own-status',
    `${model.name}: ${model.countParams().toLocaleString()} parameters, calibrated on ${fashion ? 'Fashion-MNIST images' : 'random inputs in [0, 1]'}; ` +
      `int8 .tflite of ${formatBytes(bytes.byteLength)}: ${opcodes.join(' → ')}`,
  );
  return { tfliteBytes: bytes.byteLength, opcodes };
}

/** Runs the import; a model qatkit cannot quantize is reported beside the picker, not thrown. */
export async function handleOwnModel(files: File[], train: Split): Promise<{ tfliteBytes: number; opcodes: string[] } | undefined> {
  byId('own-status').className = 'note';
  byId('own-downloads').replaceChildren();
  try {
    return await quantizeAndExport(files, train);
  } catch (error) {
    byId('own-status').className = 'note error';
    setText('own-status', error instanceof Error ? error.message : String(error));
    return undefined;
  }
}
