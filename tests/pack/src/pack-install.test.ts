import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackedPackage } from './packed-manifest.js';
import { fixtureScript, readmeScript, resultLine } from './scripts.js';
import { WORKSPACE_ROOT, installProject, lockedPackages, pack, publishablePackages, run, step, type Packed } from './temp-project.js';

/**
 * The packages as users get them: `pnpm pack` of every publishable package, `npm install` of the
 * tarballs in a fresh project outside the workspace, then the README's API example and an
 * int8-I/O LiteRT run there. Set QATKIT_KEEP_PACK=1 to keep the temporary folder for a look.
 */
const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};
// The third-party peers the example needs, at the versions the workspace pins.
const PEERS = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'].map((name) => `${name}@${own.devDependencies[name]}`);
const publishable = publishablePackages();

let tmp: string | undefined;
let project: string;
let packed: Packed[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'qatkit-pack-'));
  project = path.join(tmp, 'project');
  const tarballs = path.join(tmp, 'tarballs');
  await mkdir(tarballs);
  packed = await step(`pnpm pack of ${publishable.length} packages into ${tarballs}`, () =>
    Promise.all(publishable.map((pkg) => pack(pkg, tarballs))),
  );
  await step(`npm install of the tarballs and ${PEERS.join(', ')} in ${project}`, () =>
    installProject(
      project,
      packed.map((p) => p.tarball),
      PEERS,
    ),
  );
}, 300_000);

afterAll(async () => {
  if (tmp === undefined) return;
  if (process.env['QATKIT_KEEP_PACK']) console.log(`[pack] kept ${tmp}`);
  else await rm(tmp, { recursive: true, force: true });
});

/** Writes a script into the fresh project and runs it with Node there; resolves to its stdout. */
async function runInProject(file: string, module: string): Promise<string> {
  await writeFile(path.join(project, file), module);
  return step(`node ${file}`, () => run(process.execPath, [file], project, 150_000));
}

describe('the packed packages', () => {
  it('are every publishable package, each a devDependency here so turbo builds it before this test', () => {
    const names = publishable.map((p) => p.name);
    for (const name of ['@qatkit/core', '@qatkit/registry', '@qatkit/scheme-8bit', '@qatkit/tfjs', '@qatkit/exporter-tflite', '@qatkit/litert-runner', '@qatkit/models', '@qatkit/cli']) {
      expect(names).toContain(name);
    }
    const unlisted = names.filter((name) => own.devDependencies[name] !== 'workspace:*');
    expect(unlisted, `add ${unlisted.join(', ')} to tests/pack devDependencies as "workspace:*", then pnpm install`).toEqual([]);
    expect(PEERS.every((peer) => /@\d+\.\d+\.\d+$/.test(peer)), `exact peer versions: ${PEERS.join(', ')}`).toBe(true);
  });

  it('have registry-ready manifests: no workspace: ranges, "files" with dist, exports/main/types/bin inside the tarball', () => {
    expect(packed.map((p) => p.name)).toEqual(publishable.map((p) => p.name));
    const problems = packed.flatMap((p) => checkPackedPackage(p.manifest, p.files));
    expect(problems, problems.join('\n')).toEqual([]);
    // the check above would pass on manifests that lost their fields: make sure they are there
    expect(packed.every((p) => typeof p.manifest.exports === 'object' && p.files.has('dist/index.js'))).toBe(true);
    expect(packed.find((p) => p.name === '@qatkit/cli')?.manifest.bin).toEqual({ qatkit: './dist/bin.js' });
  });

  it('install from the tarballs alone (one copy of each, none from the registry) next to the pinned peers', async () => {
    const locked = Object.entries(await lockedPackages(project));
    const ours = locked.filter(([where]) => /(^|\/)node_modules\/@qatkit\/[^/]+$/.test(where));
    expect(ours.map(([where]) => where).sort()).toEqual(packed.map((p) => `node_modules/${p.name}`).sort());
    for (const [where, entry] of ours) expect(entry.resolved, where).toMatch(/^file:.*\.tgz$/);
    for (const peer of PEERS) {
      const at = peer.lastIndexOf('@');
      expect(locked.find(([where]) => where === `node_modules/${peer.slice(0, at)}`)?.[1].version).toBe(peer.slice(at + 1));
    }
  });
});

describe('in a fresh npm project', () => {
  it('is outside the workspace, so nothing resolves to workspace sources', () => {
    expect(path.relative(WORKSPACE_ROOT, project).startsWith('..')).toBe(true);
  });

  it("runs the README's API example as written and prints the op chain it promises", async () => {
    const example = await readmeScript(path.join(WORKSPACE_ROOT, 'README.md'));
    const stdout = await runInProject('readme-example.mjs', example.module);
    expect(stdout.trim().split('\n').at(-1)).toBe(example.promised);
  });

  it('exports an int8-I/O model that LiteRT runs, within one step of the QAT model', async () => {
    const stdout = await runInProject('int8-litert.mjs', await fixtureScript('int8-litert'));
    const result = resultLine(stdout) as {
      runner: string;
      inputs: Array<{ shape: number[]; dtype: string }>;
      outputs: Array<{ shape: number[]; dtype: string }>;
      output: { dtype: string; shape: number[]; array: string };
      compared: number;
      beyondOneStep: number;
      maxSteps: number | null;
      distinctOutputs: number;
    };
    console.log(`[pack] int8 I/O: ${result.compared} outputs, ${result.beyondOneStep} beyond one step, max ${result.maxSteps} steps`);
    expect(result.runner.startsWith(`${pathToFileURL(await realpath(project)).href}/node_modules/`), result.runner).toBe(true);
    expect(result.inputs.map((t) => [t.dtype, t.shape])).toEqual([['int8', [1, 8, 8, 1]]]);
    expect(result.outputs.map((t) => [t.dtype, t.shape])).toEqual([['int8', [1, 5]]]);
    expect(result.output).toEqual({ dtype: 'int8', shape: [1, 5], array: 'Int8Array' });
    expect(result.compared).toBe(24 * 5);
    expect(result.beyondOneStep).toBe(0);
    expect(result.maxSteps).toBeLessThanOrEqual(1.001);
    // stale or zeroed output memory would agree with nothing, but make the failure obvious
    expect(result.distinctOutputs).toBeGreaterThan(3);
  });

  it('installs the qatkit command, which runs', async () => {
    const bin = path.join(project, 'node_modules', '.bin', 'qatkit');
    const stdout = await run(bin, ['--help'], project, 60_000);
    expect(stdout).toMatch(/\bdemo\b/); // the one command, whatever the help layout
    expect(JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')).dependencies).toHaveProperty('@qatkit/cli');
  });
});
