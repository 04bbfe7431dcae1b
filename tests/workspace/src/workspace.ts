// Reads the workspace named by pnpm-workspace.yaml from disk.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, WorkspacePackage } from './manifests.js';

/** This repository's root; QATKIT_WORKSPACE_ROOT points the checks at another checkout. */
export const WORKSPACE_ROOT =
  process.env['QATKIT_WORKSPACE_ROOT'] ?? fileURLToPath(new URL('../../..', import.meta.url));

/** The `packages:` globs of pnpm-workspace.yaml (only the `dir/*` and `dir` forms are used here). */
export function workspaceGlobs(yaml: string): string[] {
  const block = /^packages:\s*\n((?:[ \t]+-.*\n?|[ \t]*#.*\n?)+)/m.exec(yaml);
  if (!block) throw new Error('pnpm-workspace.yaml has no packages: list');
  return [...block[1].matchAll(/^[ \t]+-[ \t]*['"]?([^'"\s#]+)['"]?/gm)].map((m) => m[1]);
}

function packageDirs(root: string, glob: string): string[] {
  if (!glob.endsWith('/*')) return [glob];
  const parent = glob.slice(0, -2);
  if (!existsSync(path.join(root, parent))) return [];
  return readdirSync(path.join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);
}

export function loadWorkspace(root: string = WORKSPACE_ROOT): WorkspacePackage[] {
  const globs = workspaceGlobs(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8'));
  return globs
    .flatMap((glob) => packageDirs(root, glob))
    .filter((dir) => existsSync(path.join(root, dir, 'package.json')))
    .sort()
    .map((dir) => {
      const abs = path.join(root, dir);
      const rootFiles = readdirSync(abs);
      return {
        dir,
        manifest: JSON.parse(readFileSync(path.join(abs, 'package.json'), 'utf8')) as Manifest,
        hasCode: rootFiles.includes('src') || rootFiles.some((f) => /\.[cm]?[jt]s$/.test(f) && !/\.config\.[cm]?[jt]s$/.test(f)),
        hasEslintConfig: rootFiles.includes('eslint.config.js'),
      };
    });
}
