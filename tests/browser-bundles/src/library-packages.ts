// Which packages are libraries (everything under packages/), read from disk so that a new
// package is covered the day it lands, and this test fails until it is listed as a devDependency.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const HERE = fileURLToPath(new URL('..', import.meta.url));

interface Manifest {
  name: string;
  private?: boolean;
  devDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** Names of the publishable packages under packages/. */
export function libraryPackages(): string[] {
  const dir = path.join(ROOT, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'package.json')))
    .map((e) => readManifest(path.join(dir, e.name)))
    .filter((m) => m.private !== true)
    .map((m) => m.name)
    .sort();
}

/** Workspace packages this test package lists (and so can resolve and has built first). */
export function listedHere(): string[] {
  return Object.keys(readManifest(HERE).devDependencies ?? {});
}
