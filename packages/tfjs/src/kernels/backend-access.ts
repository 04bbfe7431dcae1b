import * as tf from '@tensorflow/tfjs';

type DataId = object;

/** The parts of tfjs-backend-wasm's BackendWasm we use (structural, so the wasm package stays optional). */
export interface WasmBackendLike extends tf.KernelBackend {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  dataIdMap: { get(dataId: DataId): unknown };
}

/** The cpu backend keeps each tensor's values in a plain typed array; reading it needs no copy. */
interface CpuBackendLike extends tf.KernelBackend {
  data: { get(dataId: DataId): { values?: unknown } | undefined };
}

export function asWasm(backend: tf.KernelBackend): WasmBackendLike | null {
  const b = backend as Partial<WasmBackendLike>;
  return typeof b.typedArrayFromHeap === 'function' && typeof b.makeOutput === 'function' && b.dataIdMap != null
    ? (backend as WasmBackendLike)
    : null;
}

function asCpu(backend: tf.KernelBackend): CpuBackendLike | null {
  const b = backend as Partial<CpuBackendLike>;
  return b.data != null && typeof b.data.get === 'function' ? (backend as CpuBackendLike) : null;
}

function toF32(values: unknown): Float32Array {
  if (values instanceof Float32Array) return values;
  return Float32Array.from(values as ArrayLike<number>);
}

/**
 * The float32 values of `t`, without a copy on cpu and wasm. On wasm the result is a view of the heap:
 * any later heap allocation may detach it, so take views only after allocating all outputs.
 */
export function readF32(backend: tf.KernelBackend, t: tf.TensorInfo): Float32Array {
  const wasm = asWasm(backend);
  if (wasm) return toF32(wasm.typedArrayFromHeap(t));
  const cpu = asCpu(backend);
  const values = cpu?.data.get(t.dataId)?.values;
  if (values != null && ArrayBuffer.isView(values)) return toF32(values);
  return toF32(backend.readSync(t.dataId));
}

/**
 * A float32 output being filled by JS code. On wasm it lives on the heap from the start (no final copy);
 * elsewhere it is a Float32Array handed to the backend by `finish()`.
 */
export class F32Output {
  private readonly wasmInfo: tf.TensorInfo | null;
  private readonly plain: Float32Array | null;

  constructor(
    private readonly backend: tf.KernelBackend,
    readonly shape: number[],
  ) {
    const wasm = asWasm(backend);
    this.wasmInfo = wasm ? wasm.makeOutput(shape, 'float32') : null;
    this.plain = wasm ? null : new Float32Array(tf.util.sizeFromShape(shape));
  }

  /** Current view of the values (re-derived on wasm each call, so it is never a detached view). */
  get values(): Float32Array {
    return this.plain ?? readF32(this.backend, this.wasmInfo!);
  }

  finish(): tf.TensorInfo {
    if (this.wasmInfo) return this.wasmInfo;
    const dataId = this.backend.write(this.plain!, this.shape, 'float32');
    return { dataId, shape: this.shape, dtype: 'float32' };
  }

  /** Frees the output when a kernel fails half-way (wasm heap memory is not garbage-collected). */
  discard(): void {
    if (this.wasmInfo) this.backend.disposeData(this.wasmInfo.dataId);
  }
}

/**
 * Runs another kernel of the same backend directly, skipping the engine: no tensors, no tape,
 * nothing counted in tf.memory(). The caller must dispose the result with `backend.disposeData`.
 */
export function runBackendKernel(
  kernelName: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`kernel '${kernelName}' is not registered for backend '${backendName}'`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`kernel '${kernelName}' returned several outputs`);
  return out;
}

/** A wasm heap tensor filled from JS (e.g. a flipped filter); dispose with `backend.disposeData`. */
export function wasmTensorFromJs(
  backend: WasmBackendLike,
  shape: number[],
  fill: (values: Float32Array) => void,
): tf.TensorInfo {
  const info = backend.makeOutput(shape, 'float32');
  fill(readF32(backend, info));
  return info;
}
