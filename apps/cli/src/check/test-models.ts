// The shared real models (../shared/models), found from this file; for the check command's tests.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function modelsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'shared', 'models'))) return join(dir, 'shared', 'models');
    dir = resolve(dir, '..');
  }
  throw new Error('shared/models not found');
}

export const sharedModel = (file: string): string => join(modelsDir(), file);
