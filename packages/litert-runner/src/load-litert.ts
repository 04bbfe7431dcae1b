// Loads LiteRT.js's wasm runtime once per process and compiles .tflite bytes with it.
// "Once per process" is LiteRT.js's rule, not ours: it keeps the loaded runtime in a
// module-level global and refuses a second loadLiteRt().
import { compileTflite } from './compile-model.js';
import type { WasmContext } from './litert-wasm.js';
import { LogTail, withLog } from './log-tail.js';
import type { LiteRt } from './types.js';
import { resolveLiteRtWasmDir, withWorkerShim } from './worker-shim.js';

/**
 * The runtime's print hooks are fixed when it loads, and they are our only view of its
 * failures. They forward to every listener registered here, so that another copy of this
 * runner in the same process (sharing one @litertjs/core) sees the log too.
 */
const LOG_HUB = Symbol.for('@qatkit/litert-runner/log-listeners');
type LogHub = Set<(line: string) => void>;

function logHub(): LogHub | undefined {
  return (globalThis as Record<symbol, LogHub | undefined>)[LOG_HUB];
}

let loading: Promise<LiteRt> | undefined;

/**
 * Loads the LiteRT wasm runtime (memoised: every call returns the same instance).
 * Safe to use alongside `@tensorflow/tfjs-backend-wasm` in either order, as long as
 * the two are not initialising at the very same time (see worker-shim.ts).
 */
export function loadLiteRt(): Promise<LiteRt> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined; // let a later call retry, e.g. after fixing the install
    throw error;
  });
  return loading;
}

async function load(): Promise<LiteRt> {
  const wasmDir = resolveLiteRtWasmDir();
  const log = new LogTail();
  const core = await import('@litertjs/core');
  const existing = core.getGlobalLiteRtPromise();
  if (existing) {
    // Loaded earlier in this process: by us (another copy) we can share; by other code,
    // its log goes elsewhere and a failed run would be indistinguishable from a good one.
    const hub = logHub();
    if (!hub) {
      throw new Error(
        'LiteRT.js was already loaded in this process by other code, so its error log is not visible to ' +
          '@qatkit/litert-runner, which needs it to tell a failed run from a good one. ' +
          "Load LiteRT only through @qatkit/litert-runner's loadLiteRt().",
      );
    }
    await existing;
    hub.add(log.push);
  } else {
    const hub: LogHub = new Set([log.push]);
    const forward = (line: string) => hub.forEach((listener) => listener(line));
    const registry = globalThis as Record<symbol, LogHub | undefined>;
    registry[LOG_HUB] = hub; // before loading: a concurrent second copy must find it
    await withWorkerShim({ print: forward, printErr: forward }, () => core.loadLiteRt(wasmDir)).catch(
      (cause: unknown) => {
        delete registry[LOG_HUB];
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new Error(withLog(`Could not load the LiteRT wasm runtime from ${wasmDir}: ${reason}`, log), { cause });
      },
    );
  }
  const runtime = core.getGlobalLiteRt();
  const ctx: WasmContext = { wasm: runtime.liteRtWasm, env: runtime.getDefaultEnvironment().liteRtEnvironment };
  // compile() is async in our API for LiteRT.js's sake, but the work is synchronous.
  return { compile: (model) => Promise.resolve().then(() => compileTflite(ctx, log, model)) };
}
