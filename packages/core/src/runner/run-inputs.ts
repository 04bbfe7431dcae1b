// What a runner (LiteRT, onnxruntime, …) takes and returns, and the input checks they share: done
// in JS before anything reaches the runtime, whose own checks throw terse messages from deep inside
// native code or, on a direct run path, do not happen at all (a wrong-sized buffer read as is).

/** The element types runners pass in and out (those a qatkit export has at its edges). */
export type RunnerDType = 'float32' | 'int32' | 'uint8' | 'int8';

/** A host tensor handed to a runner: row-major data plus its shape. */
export interface RunnerTensor {
  data: Float32Array | Int32Array | Uint8Array | Int8Array;
  shape: number[];
}

/** A model output, copied out of the runtime (safe to keep after the model is disposed). */
export interface RunnerOutput extends RunnerTensor {
  dtype: RunnerDType;
}

/** Name, static shape and element type of one model input or output. */
export interface TensorInfo {
  name: string;
  shape: number[];
  dtype: string;
}

/** The dtype a typed array carries, or undefined for arrays this runner cannot pass. */
export function dtypeOfData(data: unknown): RunnerDType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  // Also accepts Node's Buffer, a Uint8Array subclass.
  if (data instanceof Uint8Array) return 'uint8';
  return undefined;
}

function describeData(data: unknown): string {
  if (data === null || data === undefined) return String(data);
  const ctor = (data as { constructor?: { name?: string } }).constructor?.name;
  return ctor ?? typeof data;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function isValidShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
}

/** Throws a descriptive Error unless `inputs` match the model's inputs one for one. */
export function checkInputs(expected: readonly TensorInfo[], inputs: readonly RunnerTensor[]): void {
  if (!Array.isArray(inputs)) {
    throw new TypeError(`run() expects an array of ${expected.length} input tensor(s), got ${describeData(inputs)}`);
  }
  if (inputs.length !== expected.length) {
    const names = expected.map((e) => `'${e.name}'`).join(', ');
    throw new Error(`run() got ${inputs.length} input(s) but the model has ${expected.length}: ${names}`);
  }
  expected.forEach((info, i) => {
    const input = inputs[i];
    const label = `input ${i} ('${info.name}')`;
    if (input === null || typeof input !== 'object') {
      throw new TypeError(`${label}: expected { data, shape }, got ${describeData(input)}`);
    }
    const dtype = dtypeOfData(input.data);
    if (dtype === undefined) {
      throw new TypeError(
        `${label}: data must be a Float32Array, Int32Array, Uint8Array or Int8Array, got ${describeData(input.data)}`,
      );
    }
    if (dtype !== info.dtype) {
      throw new TypeError(`${label}: the model expects ${info.dtype} data, got ${dtype} (${describeData(input.data)})`);
    }
    if (!isValidShape(input.shape)) {
      throw new TypeError(`${label}: shape must be an array of non-negative integers, got ${JSON.stringify(input.shape)}`);
    }
    const shape: readonly number[] = input.shape;
    const same = shape.length === info.shape.length && shape.every((d, k) => d === info.shape[k]);
    if (!same) {
      throw new Error(`${label}: the model expects shape ${formatShape(info.shape)}, got ${formatShape(shape)}`);
    }
    const size = info.shape.reduce((a, b) => a * b, 1);
    if (input.data.length !== size) {
      throw new Error(
        `${label}: shape ${formatShape(info.shape)} holds ${size} element(s) but data has ${input.data.length}`,
      );
    }
  });
}
