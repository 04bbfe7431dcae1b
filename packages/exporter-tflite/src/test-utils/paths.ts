import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `/work/shared/models` sits three levels above the package (…/main/packages/exporter-tflite →
 * …/shared/models). Walk up from this file rather than trusting the working directory.
 */
function findModelsDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'shared', 'models');
    if (existsSync(candidate)) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

export const MODELS_DIR = findModelsDir();

export function modelFiles(): string[] {
  if (!MODELS_DIR) return [];
  return readdirSync(MODELS_DIR).filter((f) => f.endsWith('.tflite')).sort();
}

export function readModel(file: string): Uint8Array {
  if (!MODELS_DIR) throw new Error('shared/models not found');
  return new Uint8Array(readFileSync(join(MODELS_DIR, file)));
}
