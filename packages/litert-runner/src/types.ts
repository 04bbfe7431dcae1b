/** The element types this runner passes in and out of LiteRT. */
export type RunnerDType = 'float32' | 'int32' | 'uint8' | 'int8';

/** A host tensor handed to {@link CompiledTflite.run}: row-major data plus its shape. */
export interface RunnerTensor {
  data: Float32Array | Int32Array | Uint8Array | Int8Array;
  shape: number[];
}

/** A model output, copied out of wasm memory (safe to keep after `dispose()`). */
export interface RunnerOutput extends RunnerTensor {
  dtype: RunnerDType;
}

/** Name, static shape and element type of one model input or output. */
export interface TensorInfo {
  name: string;
  shape: number[];
  dtype: string;
}

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
