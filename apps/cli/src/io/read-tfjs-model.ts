import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The parts of a tf.io model.json the loader reads. */
interface ModelJson {
  readonly modelTopology?: unknown;
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
  readonly weightsManifest?: readonly { readonly paths: readonly string[]; readonly weights: tf.io.WeightsManifestEntry[] }[];
}

/**
 * Reads a tfjs-layers model saved with `model.save` (model.json plus the weight files its
 * manifest names, relative to it) into the artifacts `tf.loadLayersModel(tf.io.fromMemory(…))`
 * takes. The browser build of tfjs has no file:// loader in Node, so the CLI reads the files.
 */
export async function readTfjsModel(modelJsonPath: string): Promise<tf.io.ModelArtifacts> {
  const text = await readFile(modelJsonPath, 'utf8');
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (cause) {
    throw new Error(`${modelJsonPath} is not JSON (expected a tfjs model.json)`, { cause });
  }
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) {
    throw new Error(`${modelJsonPath} has no modelTopology: it is not a tfjs-layers model.json saved with model.save`);
  }
  const dir = dirname(resolve(modelJsonPath));
  const groups = json.weightsManifest ?? [];
  const buffers = await Promise.all(groups.flatMap((g) => g.paths.map((p) => readFile(resolve(dir, p)))));
  const weightData = new Uint8Array(buffers.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: groups.flatMap((g) => g.weights),
    weightData: weightData.buffer,
    ...(json.format === undefined ? {} : { format: json.format }),
    ...(json.generatedBy === undefined ? {} : { generatedBy: json.generatedBy }),
    ...(json.convertedBy === undefined || json.convertedBy === null ? {} : { convertedBy: json.convertedBy }),
    ...(json.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: json.userDefinedMetadata }),
  };
}
