// The real .tflite files of ../shared/models (see its SOURCES.md), found from this file's location.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetProfile } from '@qatkit/core';
import { readTflite } from '@qatkit/exporter-tflite';
import { edgetpu } from '@qatkit/target-edgetpu';
import { ethosU } from '@qatkit/target-ethos-u';
import { imx8mp } from '@qatkit/target-imx8mp';
import { nnapi } from '@qatkit/target-nnapi';

function findModelsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'shared', 'models');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('shared/models not found above tests/targets');
}

export const MODELS_DIR = findModelsDir();

export const modelFiles = (): string[] => readdirSync(MODELS_DIR).filter((f) => f.endsWith('.tflite')).sort();

export const modelBytes = (file: string): Uint8Array => new Uint8Array(readFileSync(join(MODELS_DIR, file)));

export const readModel = (file: string) => readTflite(modelBytes(file));

/** The four targets as the issue names them: edgetpu, nnapi:30, imx8mp, ethos-u. */
export const TARGETS: Readonly<Record<string, TargetProfile>> = {
  edgetpu: edgetpu(),
  nnapi: nnapi({ apiLevel: 30 }),
  imx8mp: imx8mp(),
  'ethos-u': ethosU(),
};
