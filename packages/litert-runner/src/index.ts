export type { CompiledTflite, LiteRt, RunnerDType, RunnerOutput, RunnerTensor, TensorInfo } from './types.js';
export { loadLiteRt } from './load-litert.js';
