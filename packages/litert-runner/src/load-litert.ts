// Loads LiteRT.js's wasm runtime once per process and compiles .tflite bytes with it.
// "Once per process" is LiteRT.js's rule, not ours: it keeps the loaded runtime in a
// module-level global and refuses a second loadLiteRt().
import type { CompiledModel } from '@litertjs/core';
import { LiteRtCompiledTflite, tensorInfo, type CoreApi } from './compiled-tflite.js';
import { formatShape } from './check-inputs.js';
import { LogTail, withLog } from './log-tail.js';
import type { CompiledTflite, LiteRt, TensorInfo } from './types.js';
import { resolveLiteRtWasmDir, withWorkerShim } from './worker-shim.js';

type Core = typeof import('@litertjs/core');

const SUPPORTED_DTYPES = new Set(['float32', 'int32', 'uint8', 'int8']);
const TFLITE_IDENTIFIER = 'TFL3';

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
  await withWorkerShim({ print: log.push, printErr: log.push }, async () => {
    // Someone else in this process may have loaded LiteRT.js already: share it.
    const existing = core.getGlobalLiteRtPromise();
    if (existing) await existing;
    else await core.loadLiteRt(wasmDir);
  }).catch((cause: unknown) => {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(withLog(`Could not load the LiteRT wasm runtime from ${wasmDir}: ${reason}`, log), { cause });
  });
  return { compile: (model) => compile(core, log, model) };
}

function hasTfliteIdentifier(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === TFLITE_IDENTIFIER;
}

/** Why LiteRT.js could not run this model's I/O from our API, or undefined. */
function unsupportedIo(kind: 'input' | 'output', infos: readonly TensorInfo[]): string | undefined {
  for (const info of infos) {
    if (info.shape.some((d) => d < 0)) {
      return (
        `${kind} '${info.name}' has dynamic shape ${formatShape(info.shape)} (-1 in its shape_signature). ` +
        'LiteRT.js rejects dynamic shapes at run time; export the model with static shapes (e.g. batch 1).'
      );
    }
    if (!SUPPORTED_DTYPES.has(info.dtype)) {
      return `${kind} '${info.name}' is ${info.dtype}; this runner passes only float32, int32, uint8 and int8 tensors.`;
    }
  }
  return undefined;
}

async function compile(core: Core, log: LogTail, model: Uint8Array): Promise<CompiledTflite> {
  if (!(model instanceof Uint8Array)) {
    throw new TypeError(`compile() expects the model as a Uint8Array of .tflite bytes, got ${typeof model}`);
  }
  if (model.byteLength < 8) {
    throw new Error(`Not a TFLite model: only ${model.byteLength} byte(s)`);
  }
  log.clear();
  let compiled: CompiledModel;
  try {
    compiled = await core.loadAndCompile(model, { accelerator: 'wasm' });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.trim() : String(cause);
    const hint = hasTfliteIdentifier(model)
      ? ''
      : ` The bytes lack the "${TFLITE_IDENTIFIER}" file identifier, so they are probably not a .tflite file.`;
    throw new Error(withLog(`LiteRT could not load the model (${model.byteLength} bytes): ${reason}.${hint}`, log), {
      cause,
    });
  }
  const problem =
    unsupportedIo('input', tensorInfo(compiled.getInputDetails())) ??
    unsupportedIo('output', tensorInfo(compiled.getOutputDetails()));
  if (problem) {
    compiled.delete();
    throw new Error(`Cannot run this model: ${problem}`);
  }
  return new LiteRtCompiledTflite(core as unknown as CoreApi, compiled, log);
}
