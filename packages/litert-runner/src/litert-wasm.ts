// The slice of LiteRT.js's wasm bindings (embind classes under `LiteRt.liteRtWasm`) that
// this runner drives directly, instead of LiteRT.js's CompiledModel and Tensor classes.
//
// Why: those classes look every element type up in a JS table (DATATYPES) that in the
// published @litertjs/core 2.5.3 has no int8 or int16 rows, so an int8-I/O model fails in
// the CompiledModel constructor ("Element type INT8 is not supported") although the wasm
// runtime handles it. The bindings below take the model's own tensor types, so no table is
// involved and int8 works with the package as published. They are LiteRT.js internals,
// which is why package.json pins @litertjs/core to an exact version.
import type { LiteRt as LiteRtJs } from '@litertjs/core';
import type { RunnerDType, RunnerOutput, RunnerTensor, TensorInfo } from './types.js';

export type Wasm = LiteRtJs['liteRtWasm'];
export type WasmEnvironment = ReturnType<Wasm['LiteRtEnvironment']['create']>;
export type WasmModel = ReturnType<Wasm['loadModel']>;
export type WasmCompiledModel = Exclude<ReturnType<Wasm['compileModel']>, Promise<unknown>>;
export type WasmTensorBuffer = ReturnType<Wasm['LiteRtTensorBuffer']['createManaged']>;
export type WasmTensorType = ReturnType<WasmModel['getInputTensorType']>;

/** The runtime objects every call needs: the bindings and LiteRT's default environment. */
export interface WasmContext {
  wasm: Wasm;
  env: WasmEnvironment;
}

// litert::ElementType values; they equal TfLiteType, a stable C ABI.
const RUNNER_DTYPES: ReadonlyMap<number, RunnerDType> = new Map([
  [1, 'float32'],
  [2, 'int32'],
  [3, 'uint8'],
  [9, 'int8'],
]);
const OTHER_DTYPES: ReadonlyMap<number, string> = new Map([
  [4, 'int64'], [5, 'string'], [6, 'bool'], [7, 'int16'], [8, 'complex64'], [10, 'float16'],
  [11, 'float64'], [13, 'uint64'], [16, 'uint32'], [17, 'uint16'], [18, 'int4'], [19, 'bfloat16'],
]);

const ARRAY_TYPES = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
  int8: Int8Array,
} as const satisfies Record<RunnerDType, unknown>;

function dtypeName(elementType: number): string {
  return RUNNER_DTYPES.get(elementType) ?? OTHER_DTYPES.get(elementType) ?? `element type ${elementType}`;
}

/** Copies an emscripten vector into a JS array and frees it. */
function drain<T>(vector: { size(): number; get(i: number): T; delete(): void }): T[] {
  try {
    return Array.from({ length: vector.size() }, (_, i) => vector.get(i));
  } finally {
    vector.delete();
  }
}

/**
 * Name-less description of a tensor type; `type` stays owned by the caller. (Not its byte
 * size: `bytes()` throws for a dynamic shape, and such a model must reach our own check.)
 */
export function describeType(type: WasmTensorType): { dtype: string; shape: number[] } {
  const layout = type.layout();
  try {
    return { dtype: dtypeName(type.elementType().value), shape: drain(layout.dimensions()) };
  } finally {
    layout.delete();
  }
}

/** The default signature's inputs or outputs: names, shapes, dtypes, and the types themselves. */
export function signatureTensors(
  model: WasmModel,
  kind: 'input' | 'output',
): { infos: TensorInfo[]; types: WasmTensorType[] } {
  const signature = model.getSignature(0);
  let names: string[];
  try {
    names = drain(kind === 'input' ? signature.inputNames() : signature.outputNames());
  } finally {
    signature.delete();
  }
  const types = names.map((_, i) => (kind === 'input' ? model.getInputTensorType(0, i) : model.getOutputTensorType(0, i)));
  const infos = types.map((type, i) => {
    const { dtype, shape } = describeType(type);
    return { name: names[i], shape, dtype };
  });
  return { infos, types };
}

/** The bytes of a typed array, as a view (no copy). */
export function bytesOf(data: RunnerTensor['data']): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A host-memory tensor buffer of `type` holding `bytes` (which must be exactly its size). */
export function createInput(ctx: WasmContext, type: WasmTensorType, bytes: Uint8Array): WasmTensorBuffer {
  const { wasm } = ctx;
  const buffer = wasm.LiteRtTensorBuffer.createManaged(ctx.env, wasm.LiteRtTensorBufferType.HOST_MEMORY, type, bytes.byteLength);
  try {
    const ptr = buffer.lock(wasm.LiteRtTensorBufferLockMode.WRITE);
    try {
      // Read HEAPU8 only now: a wasm memory growth replaces it.
      wasm.HEAPU8.set(bytes, ptr);
    } finally {
      buffer.unlock();
    }
  } catch (error) {
    buffer.delete();
    throw error;
  }
  return buffer;
}

/** Copies an output buffer out of wasm memory; `buffer` stays owned by the caller. */
export function readOutput(wasm: Wasm, buffer: WasmTensorBuffer, name: string): RunnerOutput {
  const type = buffer.tensorType();
  let described: ReturnType<typeof describeType>;
  try {
    described = describeType(type);
  } finally {
    type.delete();
  }
  const dtype = described.dtype as RunnerDType;
  const ArrayType = ARRAY_TYPES[dtype] as (typeof ARRAY_TYPES)[RunnerDType] | undefined;
  if (!ArrayType) throw new Error(`output '${name}' is ${described.dtype}, which this runner cannot return`);
  if (buffer.bufferType().value !== wasm.LiteRtTensorBufferType.HOST_MEMORY.value) {
    throw new Error(`output '${name}' is not in host memory`);
  }
  const bytes = described.shape.reduce((a, b) => a * b, ArrayType.BYTES_PER_ELEMENT);
  if (buffer.offset() !== 0 || buffer.packedSize() !== bytes) {
    throw new Error(`output '${name}' is strided or padded, which this runner cannot read`);
  }
  const ptr = buffer.lock(wasm.LiteRtTensorBufferLockMode.READ);
  try {
    // slice() copies into a fresh, aligned ArrayBuffer that outlives the wasm buffer.
    const copy = wasm.HEAPU8.slice(ptr, ptr + bytes);
    return { data: new ArrayType(copy.buffer), shape: described.shape, dtype };
  } finally {
    buffer.unlock();
  }
}
