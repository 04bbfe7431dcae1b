// The user's side of publishing: pack every publishable workspace package, then install the
// tarballs with npm into a fresh project outside the workspace, as a user would.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readTarball } from './tarball.js';
import type { PackedManifest } from './packed-manifest.js';

const exec = promisify(execFile);

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAX_BUFFER = 64 * 1024 * 1024;

/** Prints one progress line, so a slow CI step shows where it is. */
export async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.log(`[pack] ${label} …`);
  const result = await work();
  console.log(`[pack] ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * The environment of a user's shell: without the variables pnpm and npm set for the running
 * script, which would otherwise leak into the child npm (user agent, lifecycle, package fields).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(config_user_agent|command|execpath|node_execpath|lifecycle_|package_)/i.test(key)) delete env[key];
  }
  // As @qatkit/onnx-runner's README tells users: onnxruntime-node's install script otherwise fetches
  // CUDA binaries from outside the npm registry (its CPU build is inside the package). turbo does not
  // pass the variable on from .ci/run, so the install sets it itself.
  env['ONNXRUNTIME_NODE_INSTALL'] ??= 'skip';
  return env;
}

export async function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd, env: userEnv(), timeout: timeoutMs, maxBuffer: MAX_BUFFER });
    return stdout;
  } catch (error) {
    const e = error as { code?: unknown; signal?: unknown; stdout?: string; stderr?: string };
    const tail = (s = '') => s.trim().split('\n').slice(-40).join('\n');
    throw new Error(
      `\`${command} ${args.join(' ')}\` in ${cwd} failed (exit ${String(e.code)}${e.signal ? `, ${String(e.signal)}` : ''})\n` +
        `--- stdout\n${tail(e.stdout)}\n--- stderr\n${tail(e.stderr)}`,
    );
  }
}

export interface WorkspacePackage {
  readonly name: string;
  /** Absolute. */
  readonly dir: string;
}

/** packages/* and apps/*: every package that is not private is meant for the registry. */
export function publishablePackages(root = WORKSPACE_ROOT): WorkspacePackage[] {
  return ['packages', 'apps']
    .flatMap((group) => readdirSync(path.join(root, group)).map((name) => path.join(root, group, name)))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackedManifest }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: String(manifest.name), dir }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface Packed {
  readonly name: string;
  readonly tarball: string;
  readonly manifest: PackedManifest;
  readonly files: ReadonlySet<string>;
}

/** `pnpm pack` (which rewrites `workspace:` ranges) of one package into `destination`. */
export async function pack(pkg: WorkspacePackage, destination: string): Promise<Packed> {
  const stdout = await run('pnpm', ['pack', '--json', '--pack-destination', destination], pkg.dir, 120_000);
  const { filename } = JSON.parse(stdout) as { filename?: string };
  if (typeof filename !== 'string') throw new Error(`pnpm pack of ${pkg.name} printed no filename: ${stdout}`);
  const tarball = path.resolve(pkg.dir, filename);
  const entries = readTarball(await readFile(tarball));
  const json = entries.get('package.json');
  if (json === undefined) throw new Error(`${tarball} has no package/package.json`);
  return { name: pkg.name, tarball, manifest: JSON.parse(json.toString('utf8')) as PackedManifest, files: new Set(entries.keys()) };
}

/**
 * A fresh ESM project at `dir` with the tarballs and `peers` (`name@version`) installed by npm.
 * `--prefer-offline` reuses npm's cache when it has the exact versions; it never changes what is installed.
 */
export async function installProject(dir: string, tarballs: readonly string[], peers: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest = { name: 'qatkit-pack-check', version: '0.0.0', private: true, type: 'module' };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-exact', ...tarballs, ...peers], dir, 240_000);
}

export interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
}

/** package-lock.json's `packages` map: `node_modules/@qatkit/core` → its version and source. */
export async function lockedPackages(dir: string): Promise<Record<string, LockEntry>> {
  const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8')) as { packages?: Record<string, LockEntry> };
  return lock.packages ?? {};
}
