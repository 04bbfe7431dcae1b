// The browser entry (`@qatkit/litert-runner/browser`, and `.` under the "browser" condition):
// the same compile/run API as in Node, over LiteRT.js's own web loader. A page serves
// LiteRT.js's wasm/ folder (the .js glue beside its .wasm) and passes its URL; LiteRT.js then
// injects the glue as a <script> (or uses importScripts in a worker) and picks the build the
// browser supports (relaxed SIMD or not). No Node built-in is reachable from here.
import { compileTflite } from './compile-model.js';
import type { WasmContext } from './litert-wasm.js';
import { LogTail, withLog } from './log-tail.js';
import type { LiteRt } from './types.js';

export type { CompiledTflite, LiteRt, RunnerDType, RunnerOutput, RunnerTensor, TensorInfo } from './types.js';

let loading: Promise<LiteRt> | undefined;

/**
 * Loads the LiteRT wasm runtime from `wasmDir`, the URL of a folder holding `@litertjs/core`'s
 * `wasm/` files (memoised: later calls return the same instance, whatever URL they pass).
 */
export function loadLiteRt(wasmDir: string | URL): Promise<LiteRt> {
  if (typeof wasmDir !== 'string' && !(wasmDir instanceof URL)) {
    return Promise.reject(
      new TypeError("loadLiteRt(wasmDir) needs the URL of a folder holding @litertjs/core's wasm/ files in a browser"),
    );
  }
  loading ??= load(String(wasmDir)).catch((error: unknown) => {
    loading = undefined; // let a later call retry, e.g. with a corrected URL
    throw error;
  });
  return loading;
}

async function load(wasmDir: string): Promise<LiteRt> {
  const core = await import('@litertjs/core');
  if (core.getGlobalLiteRtPromise()) {
    // Its print hooks went elsewhere: a failed run would look like a good one (see compile-model.ts).
    throw new Error(
      'LiteRT.js was already loaded on this page by other code, so its error log is not visible to ' +
        "@qatkit/litert-runner. Load LiteRT only through @qatkit/litert-runner's loadLiteRt().",
    );
  }
  const log = new LogTail();
  // LiteRT.js hands `self.Module` to the emscripten factory: our print hooks ride along, as in Node.
  const g = globalThis as { Module?: unknown };
  g.Module = { print: log.push, printErr: log.push };
  const dir = wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`;
  try {
    await core.loadLiteRt(dir);
  } catch (cause) {
    delete g.Module;
    // a failed <script> load rejects with a DOM Event, not an Error
    const reason = cause instanceof Error ? cause.message : `the glue script under ${dir} did not load`;
    throw new Error(withLog(`Could not load the LiteRT wasm runtime from ${dir}: ${reason}`, log), { cause });
  }
  const runtime = core.getGlobalLiteRt();
  const ctx: WasmContext = { wasm: runtime.liteRtWasm, env: runtime.getDefaultEnvironment().liteRtEnvironment };
  return { compile: (model) => Promise.resolve().then(() => compileTflite(ctx, log, model)) };
}
