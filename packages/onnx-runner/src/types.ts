/** The element types this runner passes in and out of onnxruntime (those a qatkit export has at its edges). */
export type RunnerDType = 'float32' | 'int32' | 'uint8' | 'int8';

/** A host tensor handed to {@link CompiledOnnx.run}: row-major data plus its shape. */
export interface RunnerTensor {
  data: Float32Array | Int32Array | Uint8Array | Int8Array;
  shape: number[];
}

/** A model output, copied out of onnxruntime (safe to keep after `dispose()`). */
export interface RunnerOutput extends RunnerTensor {
  dtype: RunnerDType;
}

/** Name, static shape and element type of one model input or output. */
export interface TensorInfo {
  name: string;
  shape: number[];
  dtype: string;
}

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
