import type { RunnerOutput, RunnerTensor, TensorInfo } from '@qatkit/core';

// The shared runner types live in core, so every runner checks and returns tensors alike.
export type { RunnerDType, RunnerOutput, RunnerTensor, TensorInfo } from '@qatkit/core';

/** A `.tflite` model compiled by LiteRT for its CPU (XNNPACK) path. */
export interface CompiledTflite {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Runs the default signature synchronously; inputs are checked before wasm sees them. */
  run(inputs: RunnerTensor[]): RunnerOutput[];
  /** Frees the model's wasm memory; `run` throws afterwards. Idempotent. */
  dispose(): void;
}

/** One loaded LiteRT wasm runtime (there is at most one per process). */
export interface LiteRt {
  compile(model: Uint8Array): Promise<CompiledTflite>;
}
