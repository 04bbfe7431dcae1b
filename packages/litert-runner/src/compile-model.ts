// Turns .tflite bytes into a CompiledTflite that is known to run: load, compile, check
// the I/O this runner can pass, then one trial run. A model LiteRT cannot prepare is
// refused here, with LiteRT's own words, instead of failing (or silently not failing)
// at the caller's first run().
import { formatShape } from '@qatkit/core';
import { freeHandles, LiteRtCompiledTflite, type ModelHandles } from './compiled-tflite.js';
import { signatureTensors, type Wasm, type WasmContext } from './litert-wasm.js';
import { hintFor, withLog, type LogTail } from './log-tail.js';
import type { CompiledTflite, TensorInfo } from './types.js';

const SUPPORTED_DTYPES = new Set(['float32', 'int32', 'uint8', 'int8']);
const TFLITE_IDENTIFIER = 'TFL3';

function hasTfliteIdentifier(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === TFLITE_IDENTIFIER;
}

/** Why this runner could not pass this model's I/O, or undefined. */
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

/** What LiteRT.js's own loadAndCompile passes for the wasm (XNNPACK) accelerator. */
function cpuOptions(wasm: Wasm): Parameters<Wasm['compileModel']>[2] {
  const options = { accelerator: 'wasm' as const, cpuOptions: { numThreads: wasm.getThreadCount() }, gpuOptions: {}, webNNOptions: {} };
  return options;
}

/** Synchronous from start to verdict, so no other call's log lines can mix in. */
export function compileTflite(ctx: WasmContext, log: LogTail, bytes: Uint8Array): CompiledTflite {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`compile() expects the model as a Uint8Array of .tflite bytes, got ${typeof bytes}`);
  }
  if (bytes.byteLength < 8) throw new Error(`Not a TFLite model: only ${bytes.byteLength} byte(s)`);
  const { wasm } = ctx;
  const size = `${bytes.byteLength} bytes`;
  log.clear();
  const bytesPtr = wasm._malloc(bytes.byteLength);
  wasm.HEAPU8.set(bytes, bytesPtr);
  const handles: Partial<ModelHandles> & Pick<ModelHandles, 'ctx' | 'bytesPtr'> = { ctx, bytesPtr };
  try {
    try {
      handles.model = wasm.loadModel(ctx.env, bytesPtr, bytes.byteLength);
      const compiled = wasm.compileModel(ctx.env, handles.model, cpuOptions(wasm));
      if (compiled instanceof Promise) {
        throw new Error('the loaded LiteRT build compiles asynchronously, which this runner does not support');
      }
      handles.compiled = compiled;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message.trim() : String(cause);
      const hint = hasTfliteIdentifier(bytes)
        ? ''
        : ` The bytes lack the "${TFLITE_IDENTIFIER}" file identifier, so they are probably not a .tflite file.`;
      throw new Error(withLog(`LiteRT could not load the model (${size}): ${reason}.${hint}`, log), { cause });
    }
    // E.g. "failed to create XNNPACK runtime": compile returned, but the model cannot run.
    const problems = log.problems();
    if (problems.length > 0) {
      throw new Error(withLog(`LiteRT could not compile the model (${size}).${hintFor(problems)}`, log));
    }
    const inputs = signatureTensors(handles.model, 'input');
    handles.inputTypes = inputs.types;
    const outputs = signatureTensors(handles.model, 'output');
    for (const type of outputs.types) type.delete();
    const problem = unsupportedIo('input', inputs.infos) ?? unsupportedIo('output', outputs.infos);
    if (problem) throw new Error(`Cannot run this model: ${problem}`);
    const model = new LiteRtCompiledTflite(
      { ...handles, model: handles.model, compiled: handles.compiled, inputs: inputs.infos, outputs: outputs.infos, inputTypes: inputs.types },
      log,
    );
    model.prepare();
    return model;
  } catch (error) {
    freeHandles(handles);
    throw error;
  }
}
