import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { calibrate, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';

/**
 * A QAT model saved with tf.io and loaded back (only `@qatkit/tfjs` imported, no custom-object
 * scope) exports the same bytes: names in the file come from the model's structure, not from
 * tfjs's rewriting of configs on load (it camel-cases string values: dense_Dense1 → denseDense1).
 */

beforeAll(async () => {
  await initBackend('wasm');
});

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}

describe('save → load → export', () => {
  it('gives byte-identical files for a model with tfjs-generated layer names', async () => {
    // No names given: tfjs makes them, with underscores and capitals (conv2d_Conv2D1, …).
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 5, activation: 'softmax' }),
      ],
    });
    expect(model.layers[0]!.name).toMatch(/_/);
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 9)]);
    const loaded = await roundTrip(qat);
    const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 10);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((qat.predict(x) as tf.Tensor).dataSync()));

    for (const io of ['float32', 'uint8', 'int8'] as const) {
      const before = exportTflite(toGraph(qat), { io });
      const after = exportTflite(toGraph(loaded), { io });
      expect(after.length).toBe(before.length);
      expect(Buffer.from(after).equals(Buffer.from(before))).toBe(true);
    }
    // The names are the source model's layer names.
    const names = readTflite(exportTflite(toGraph(loaded), { io: 'int8' })).subgraphs[0]!.tensors.map((t) => t.name);
    expect(names).toContain(`${model.layers[0]!.name}/weights`);
    expect(names).toContain(model.layers[3]!.name);
  });

  it('keeps training a loaded QAT model and exports it', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 4, activation: 'relu' }), tf.layers.dense({ units: 2 })] });
    const qat = quantizeModel(model);
    calibrate(qat, [tf.randomUniform([8, 6], -1, 1, 'float32', 1)]);
    const loaded = await roundTrip(qat);
    loaded.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const h = await loaded.fit(tf.randomUniform([16, 6], -1, 1, 'float32', 2), tf.randomUniform([16, 2], 0, 1, 'float32', 3), { epochs: 2, batchSize: 8, verbose: 0 });
    expect(h.history['loss']).toHaveLength(2);
    const summary = readTflite(exportTflite(toGraph(loaded), { io: 'int8' }));
    expect(summary.subgraphs[0]!.operators.map((op) => op.opcode)).toEqual(['FULLY_CONNECTED', 'FULLY_CONNECTED']);
  });
});
