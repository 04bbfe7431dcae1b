import type { RunnerOutput, RunnerTensor, TensorInfo } from '@qatkit/core';

// The shared runner types live in core, so every runner checks and returns tensors alike.
export type { RunnerDType, RunnerOutput, RunnerTensor, TensorInfo } from '@qatkit/core';

/** Session settings; the defaults are onnxruntime's CPU defaults with one intra-op thread. */
export interface CompileOptions {
  /** onnxruntime's graph optimizations, 'all' by default (QDQ fusion needs at least 'basic'). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Where onnxruntime saves the model as optimized (to see which QLinear ops it fused). */
  optimizedModelFilePath?: string;
  /** Threads for one op; 1 by default, so timings do not depend on what else runs. */
  intraOpNumThreads?: number;
}

/** An ONNX model loaded into an onnxruntime CPU session. */
export interface CompiledOnnx {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Runs the model; inputs are checked (count, dtype, shape) before onnxruntime sees them. */
  run(inputs: RunnerTensor[]): Promise<RunnerOutput[]>;
  /** Releases the session; `run` throws afterwards. Idempotent. */
  dispose(): Promise<void>;
}

/** The loaded onnxruntime-node binding. */
export interface OnnxRuntime {
  /** The onnxruntime version the binding reports. */
  version: string;
  compile(model: Uint8Array, options?: CompileOptions): Promise<CompiledOnnx>;
}
