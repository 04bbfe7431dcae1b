// LiteRT.js loads its emscripten glue the way a browser would: through a worker's
// `importScripts` or a page's <script> tag, then reads `self.ModuleFactory`.
// Node has neither, so for the duration of the load we pretend to be a worker.
// The pretence must not outlive the load: tfjs's wasm backend (and other emscripten
// glue) takes `self`/`importScripts` as proof it runs in a worker and then looks for
// its .wasm relative to the working directory. So every global we touch is restored
// to exactly what it was (including "absent") once the load settles.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';

const SHIM_GLOBALS = ['self', 'importScripts', 'Module', 'ModuleFactory'] as const;

/** Absolute path (with a trailing separator) of `@litertjs/core`'s `wasm/` directory. */
export function resolveLiteRtWasmDir(): string {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    // The package has no `exports` map, so its package.json is resolvable.
    pkgJson = require.resolve('@litertjs/core/package.json');
  } catch (cause) {
    throw new Error('@qatkit/litert-runner: cannot resolve @litertjs/core; is it installed?', { cause });
  }
  const dir = join(dirname(pkgJson), 'wasm');
  if (!existsSync(dir)) {
    throw new Error(`@qatkit/litert-runner: @litertjs/core has no wasm directory at ${dir}`);
  }
  return dir + '/';
}

/**
 * Evaluates an emscripten glue file as CommonJS. A plain `require()` refuses it: the
 * file is `.js` inside a `"type": "module"` package, so Node would parse it as ESM.
 */
function evaluateGlue(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const wrapper = runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: file },
  ) as (e: object, r: NodeRequire, m: { exports: unknown }, f: string, d: string) => void;
  const module = { exports: {} as unknown };
  wrapper(module.exports as object, createRequire(file), module, file, dirname(file));
  return module.exports;
}

export interface ShimOptions {
  /** Emscripten's stdout/stderr hooks, handed over as the `Module` argument. */
  print: (line: string) => void;
  printErr: (line: string) => void;
}

/**
 * Runs `load` with the worker globals installed, then restores them. Also hides the
 * one console warning LiteRT always emits in Node ("Failed to create default WebGPU
 * device"): Node has no WebGPU, and we only ever ask for the wasm accelerator.
 */
export async function withWorkerShim<T>(options: ShimOptions, load: () => Promise<T>): Promise<T> {
  const g = globalThis as Record<string, unknown>;
  const saved = SHIM_GLOBALS.map((key) => Object.getOwnPropertyDescriptor(g, key));
  const warn = console.warn;

  g.self = globalThis;
  g.importScripts = (...urls: string[]) => {
    for (const url of urls) g.ModuleFactory = evaluateGlue(url);
  };
  // createWasmLib passes `self.Module` to the factory: our print hooks ride along.
  g.Module = { print: options.print, printErr: options.printErr };
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Failed to create default WebGPU device')) return;
    warn.apply(console, args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
    SHIM_GLOBALS.forEach((key, i) => {
      const descriptor = saved[i];
      if (descriptor) Object.defineProperty(g, key, descriptor);
      else delete g[key];
    });
  }
}
