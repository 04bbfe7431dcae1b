export type { CompileOptions, CompiledOnnx, OnnxRuntime, RunnerDType, RunnerOutput, RunnerTensor, TensorInfo } from './types.js';
export { loadOnnxRuntime } from './load-onnxruntime.js';
