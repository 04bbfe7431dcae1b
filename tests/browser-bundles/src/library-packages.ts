// Which packages are libraries (everything under packages/), read from disk so that a new
// package is covered the day it lands, and this test fails until it is listed as a devDependency.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { roleOf } from '@qatkit/eslint-config/roles';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const HERE = fileURLToPath(new URL('..', import.meta.url));

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, Record<string, string>>;
  devDependencies?: Record<string, string>;
}

/**
 * The entry a browser bundle should import, or undefined for a Node-only runner. Runners exist to
 * run models in Node (LiteRT, onnxruntime-node); one that also runs in browsers says so with a
 * `./browser` subpath, which is then what gets bundled.
 */
function browserEntry(m: Manifest): string | undefined {
  const isRunner = roleOf(m.name) === 'runner' || m.name.endsWith('-runner');
  if (!isRunner) return m.name;
  return m.exports?.['./browser'] ? `${m.name}/browser` : undefined;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** Browser entries of the publishable packages under packages/ (see browserEntry). */
export function libraryEntries(): string[] {
  const dir = path.join(ROOT, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'package.json')))
    .map((e) => readManifest(path.join(dir, e.name)))
    .filter((m) => m.private !== true)
    .flatMap((m) => browserEntry(m) ?? [])
    .sort();
}

/** Workspace packages this test package lists (and so can resolve and has built first). */
export function listedHere(): string[] {
  return Object.keys(readManifest(HERE).devDependencies ?? {});
}
