// A compiled model behind our synchronous CompiledTflite, driven through LiteRT's wasm
// bindings (see litert-wasm.ts for why not through LiteRT.js's classes).
//
// Synchronous on purpose: the non-JSPI builds, the only ones loadLiteRt() picks, return
// from the wasm `run` directly. It also keeps each call's log lines to itself: nothing
// else can run between clearing the log and reading the verdict.
//
// LiteRT.js's `run` resolves even when the runtime failed (a delegate or kernel refusing
// to prepare, an op failing to invoke) and hands back whatever the output memory held.
// The only trace is an ERROR line in LiteRT's log, so every call that logged one throws,
// and no outputs are returned from it.
import { checkInputs } from '@qatkit/core';
import {
  bytesOf,
  createInput,
  readOutput,
  type WasmCompiledModel,
  type WasmContext,
  type WasmModel,
  type WasmTensorBuffer,
  type WasmTensorType,
} from './litert-wasm.js';
import { hintFor, withLog, type LogTail } from './log-tail.js';
import type { CompiledTflite, RunnerOutput, RunnerTensor, TensorInfo } from './types.js';

const DEFAULT_SIGNATURE = 0;

/** The wasm objects one compiled model owns, freed together by `dispose()`. */
export interface ModelHandles {
  ctx: WasmContext;
  /** Where the .tflite bytes sit in wasm memory; the model reads them for its lifetime. */
  bytesPtr: number;
  model: WasmModel;
  compiled: WasmCompiledModel;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Kept to create input buffers of exactly the model's types. */
  inputTypes: WasmTensorType[];
}

/** Frees everything in `handles` (those present), newest first. */
export function freeHandles(handles: Partial<ModelHandles> & Pick<ModelHandles, 'ctx' | 'bytesPtr'>): void {
  for (const type of handles.inputTypes ?? []) type.delete();
  handles.compiled?.delete();
  handles.model?.delete();
  handles.ctx.wasm._free(handles.bytesPtr);
}

export class LiteRtCompiledTflite implements CompiledTflite {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  private disposed = false;

  constructor(
    private readonly handles: ModelHandles,
    private readonly log: LogTail,
  ) {
    this.inputs = handles.inputs;
    this.outputs = handles.outputs;
  }

  run(inputs: RunnerTensor[]): RunnerOutput[] {
    if (this.disposed) throw new Error('run() called on a disposed model');
    // The bindings do not check sizes: a wrong-sized buffer would be read as if it fitted.
    checkInputs(this.inputs, inputs);
    return this.invoke('run', (i) => bytesOf(inputs[i].data));
  }

  /**
   * Runs once on all-zero inputs. LiteRT prepares the ops (XNNPACK's runtime, each kernel's
   * checks) at the first run, not at compile time, so this is what makes compile() fail
   * for a model that could never run.
   */
  prepare(): void {
    const sizes = this.handles.inputTypes.map((type) => type.bytes());
    this.invoke('prepare', (i) => new Uint8Array(sizes[i]));
  }

  private invoke(verb: 'run' | 'prepare', bytesFor: (i: number) => Uint8Array): RunnerOutput[] {
    const { ctx, compiled, inputTypes } = this.handles;
    const buffers: WasmTensorBuffer[] = [];
    let results: WasmTensorBuffer[];
    this.log.clear();
    try {
      for (const [i, type] of inputTypes.entries()) buffers.push(createInput(ctx, type, bytesFor(i)));
      const returned: unknown = compiled.run(DEFAULT_SIGNATURE, buffers);
      if (!Array.isArray(returned)) {
        // A JSPI build would return a promise here; loadLiteRt() never selects one.
        throw new Error('the loaded LiteRT build runs asynchronously, which this runner does not support');
      }
      results = returned as WasmTensorBuffer[];
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new Error(withLog(`LiteRT failed to ${verb} the model: ${reason}`, this.log), { cause });
    } finally {
      for (const buffer of buffers) buffer.delete();
    }
    try {
      const problems = this.log.problems();
      if (problems.length > 0) {
        const what =
          verb === 'run'
            ? 'LiteRT failed while running the model; its outputs would be stale, so none are returned.'
            : 'LiteRT could not prepare the model: a trial run on zero inputs failed.';
        throw new Error(withLog(`${what}${hintFor(problems)}`, this.log));
      }
      return results.map((buffer, i) => readOutput(ctx.wasm, buffer, this.outputs[i]?.name ?? String(i)));
    } finally {
      for (const buffer of results) buffer.delete();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    freeHandles(this.handles);
  }
}
