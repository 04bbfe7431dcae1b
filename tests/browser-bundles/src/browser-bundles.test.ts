import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { esbuildBrowser, viteBrowser, type BundleResult } from './bundle.js';
import { libraryEntries, listedHere } from './library-packages.js';
import { builtinsInCode, isNodeBuiltin } from './node-imports.js';

const packages = libraryEntries();
const packageOf = (entry: string) => entry.split('/').slice(0, 2).join('/');

/**
 * The Node built-ins a bundle reads or still imports: must be none. A dependency's own
 * package.json "browser" map may switch a built-in off (tfjs maps `fs`, `util`, `crypto` to
 * false): bundlers then read an empty module, named `(disabled):fs` by esbuild and a bare
 * `__vite-browser-external` by Vite. That is the author's declared browser build, so it passes.
 */
function nodeTraces(bundle: BundleResult): string[] {
  const fromInputs = bundle.inputs.filter((id) => isNodeBuiltin(id) || id.startsWith('__vite-browser-external:'));
  const fromWarnings = bundle.warnings.filter((w) => /externalized for browser compatibility|node:/.test(w));
  return [...new Set([...fromInputs, ...fromWarnings, ...builtinsInCode(bundle.code)])];
}

describe('browser bundles of every library package', () => {
  it('covers every package under packages/ (Node-only runners aside)', () => {
    expect(packages).toContain('@qatkit/tfjs');
    expect(packages).toContain('@qatkit/litert-runner/browser');
    // listed as devDependencies, so they resolve here and turbo builds them first
    const missing = packages.map(packageOf).filter((name) => !listedHere().includes(name));
    expect(missing, `add ${missing.join(', ')} to tests/browser-bundles' devDependencies ("workspace:*")`).toEqual([]);
  });

  it('the checks see Node built-ins when they are there', () => {
    expect(isNodeBuiltin('node:fs')).toBe(true);
    expect(isNodeBuiltin('path')).toBe(true);
    expect(isNodeBuiltin('fs/promises')).toBe(true);
    expect(isNodeBuiltin('flatbuffers')).toBe(false);
    expect(builtinsInCode('import{createRequire}from"node:module";const p=await import("node:path");__require("fs")')).toEqual([
      'fs',
      'node:module',
      'node:path',
    ]);
  });

  it('fails a package entry that imports a Node built-in, in both bundlers', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/uses-node.js', import.meta.url));
    await expect(esbuildBrowser(fixture)).rejects.toThrow(/node:path/);
    expect(nodeTraces(await viteBrowser(fixture))).toContain('node:path');
  });

  it.each(packages)('esbuild --platform=browser bundles %s with no Node built-in', async (name) => {
    const bundle = await esbuildBrowser(name);
    expect(bundle.code.length).toBeGreaterThan(100);
    expect(nodeTraces(bundle)).toEqual([]);
  });

  it.each(packages)('vite build bundles %s with no Node built-in', async (name) => {
    const bundle = await viteBrowser(name);
    expect(bundle.code.length).toBeGreaterThan(100);
    expect(nodeTraces(bundle)).toEqual([]);
  });

  it("bundles @qatkit/litert-runner's main entry too, through its browser condition", async () => {
    const bundle = await esbuildBrowser('@qatkit/litert-runner');
    expect(bundle.inputs.some((id) => id.includes('worker-shim'))).toBe(false);
    expect(nodeTraces(bundle)).toEqual([]);
  });
});
