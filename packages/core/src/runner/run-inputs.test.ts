import { describe, expect, it } from 'vitest';
import { checkInputs, dtypeOfData } from './run-inputs.js';
import type { RunnerTensor, TensorInfo } from './run-inputs.js';

const image: TensorInfo = { name: 'image', shape: [1, 2, 2, 1], dtype: 'int8' };
const scale: TensorInfo = { name: 'scale', shape: [1], dtype: 'float32' };

describe('dtypeOfData', () => {
  it('maps the four supported typed arrays (and Buffer) and nothing else', () => {
    expect(dtypeOfData(new Float32Array(1))).toBe('float32');
    expect(dtypeOfData(new Int32Array(1))).toBe('int32');
    expect(dtypeOfData(new Uint8Array(1))).toBe('uint8');
    expect(dtypeOfData(Buffer.alloc(1))).toBe('uint8');
    expect(dtypeOfData(new Int8Array(1))).toBe('int8');
    expect(dtypeOfData(new Int16Array(1))).toBeUndefined();
    expect(dtypeOfData(new Float64Array(1))).toBeUndefined();
    expect(dtypeOfData([1, 2])).toBeUndefined();
  });
});

describe('checkInputs', () => {
  const good: RunnerTensor[] = [
    { data: new Int8Array(4), shape: [1, 2, 2, 1] },
    { data: Float32Array.of(0.5), shape: [1] },
  ];

  it('accepts matching inputs', () => {
    expect(() => checkInputs([image, scale], good)).not.toThrow();
  });

  it('names the model inputs when the count is wrong', () => {
    expect(() => checkInputs([image, scale], good.slice(0, 1))).toThrow(
      "run() got 1 input(s) but the model has 2: 'image', 'scale'",
    );
  });

  it('rejects a non-array', () => {
    expect(() => checkInputs([image], good[0] as unknown as RunnerTensor[])).toThrow(/expects an array of 1/);
  });

  it('rejects the wrong dtype, naming both', () => {
    expect(() => checkInputs([image, scale], [good[0], { data: Int32Array.of(1), shape: [1] }])).toThrow(
      "input 1 ('scale'): the model expects float32 data, got int32 (Int32Array)",
    );
  });

  it('rejects unsupported data', () => {
    const bad = { data: [0, 0, 0, 0], shape: [1, 2, 2, 1] } as unknown as RunnerTensor;
    expect(() => checkInputs([image], [bad])).toThrow(/data must be a Float32Array.*got Array/);
  });

  it('rejects a different shape, even with the same element count', () => {
    expect(() => checkInputs([image], [{ data: new Int8Array(4), shape: [1, 4, 1, 1] }])).toThrow(
      "input 0 ('image'): the model expects shape [1, 2, 2, 1], got [1, 4, 1, 1]",
    );
  });

  it('rejects malformed shapes and data of the wrong length', () => {
    expect(() => checkInputs([image], [{ data: new Int8Array(4), shape: [1, 2, 2, 1.5] }])).toThrow(
      /non-negative integers/,
    );
    expect(() => checkInputs([image], [{ data: new Int8Array(5), shape: [1, 2, 2, 1] }])).toThrow(
      /holds 4 element\(s\) but data has 5/,
    );
  });
});
