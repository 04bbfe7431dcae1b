import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { main } from '../main.js';

/** Runs the CLI in-process, collecting what it prints. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { io: { out: (s) => void (out += s), err: (s) => void (err += s) } });
  return { code, out, err };
}

/** Saves `model` as tfjs's model.save writes it to disk (model.json and one weights file); returns the model.json path. */
export async function saveModelTo(model: tf.LayersModel, dir: string): Promise<string> {
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData!)));
      const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, userDefinedMetadata: a.userDefinedMetadata, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(dir, 'model.json');
}
