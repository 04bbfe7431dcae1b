// A user's own tfjs model as files on disk (model.json + weights.bin), the way tfjs's
// `model.save('downloads://…')` hands them to a user, for the page's file picker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** A small non-Fashion model (16×16×3 input) saved to a temp folder; returns the two file paths. */
export async function saveOwnModel(): Promise<{ dir: string; files: string[] }> {
  const model = tf.sequential({
    name: 'my_net',
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'c1' }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: 3, name: 'out' }),
    ],
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qatkit-own-model-'));
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, weightSpecs, ...rest } = artifacts;
      const json = { ...rest, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] };
      writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return { dir, files: [path.join(dir, 'model.json'), path.join(dir, 'weights.bin')] };
}
