import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadLiteRt, type LiteRt } from './index.js';
import { pinDynamicDims, readModel } from './test-utils/models.js';

// hello_world_int8.tflite's I/O quantization, read from the file's tensors 0 and 9.
const IN_SCALE = 0.024480115622282028;
const IN_ZERO = -128;
const OUT_SCALE = 0.008290956728160381;
const OUT_ZERO = 5;

const quantize = (x: number) => Math.max(-128, Math.min(127, Math.round(x / IN_SCALE) + IN_ZERO));
const dequantize = (q: number) => (q - OUT_ZERO) * OUT_SCALE;

let litert: LiteRt;
let warnings: unknown[][];

beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn');
  litert = await loadLiteRt();
  warnings = warn.mock.calls.slice();
  warn.mockRestore();
});

describe('loadLiteRt', () => {
  it('is memoised', async () => {
    expect(await loadLiteRt()).toBe(litert);
  });

  it('removes its worker shim globals and hides the WebGPU warning', () => {
    expect('importScripts' in globalThis).toBe(false);
    expect('self' in globalThis).toBe(false);
    expect('ModuleFactory' in globalThis).toBe(false);
    expect(warnings.flat().join(' ')).not.toMatch(/WebGPU/);
  });
});

describe('int8 models', () => {
  it('runs hello_world_int8 (batch pinned to 1) and gives sin(x)', async () => {
    const model = await litert.compile(pinDynamicDims(readModel('hello_world_int8.tflite')));
    expect(model.inputs).toEqual([{ name: 'dense_input', shape: [1, 1], dtype: 'int8' }]);
    expect(model.outputs).toEqual([{ name: 'dense_2', shape: [1, 1], dtype: 'int8' }]);
    for (const x of [0.5, Math.PI / 2, 2.5, Math.PI, 4, 3 * Math.PI / 2, 5.5]) {
      const [out] = model.run([{ data: Int8Array.of(quantize(x)), shape: [1, 1] }]);
      expect(out.dtype).toBe('int8');
      expect(out.shape).toEqual([1, 1]);
      expect(out.data).toBeInstanceOf(Int8Array);
      expect(Math.abs(dequantize(out.data[0]) - Math.sin(x))).toBeLessThan(0.15);
    }
    const [peak] = model.run([{ data: Int8Array.of(quantize(Math.PI / 2)), shape: [1, 1] }]);
    expect(dequantize(peak.data[0])).toBeCloseTo(1, 1);
    model.dispose();
  });

  it('runs int8 MobileNetV2 to a 1x1000 int8 output, deterministically', async () => {
    const model = await litert.compile(readModel('mobilenet_v2_quantized_1x3x224x224.tflite'));
    expect(model.inputs).toEqual([{ name: 'input.5', shape: [1, 3, 224, 224], dtype: 'int8' }]);
    const data = new Int8Array(3 * 224 * 224).map((_, i) => (i * 7) % 256 - 128);
    const [a] = model.run([{ data, shape: [1, 3, 224, 224] }]);
    const [b] = model.run([{ data, shape: [1, 3, 224, 224] }]);
    expect(a.shape).toEqual([1, 1000]);
    expect(a.dtype).toBe('int8');
    expect(a.data.length).toBe(1000);
    expect(b.data).toEqual(a.data);
    model.dispose();
    model.dispose(); // idempotent
    expect(() => model.run([{ data, shape: [1, 3, 224, 224] }])).toThrow(/disposed/);
  });
});

describe('int8 without patching LiteRT.js', () => {
  // The int8 runs above work on @litertjs/core exactly as published: its own Tensor class
  // (and CompiledModel) still reject int8, and the runner does not go through them. If this
  // fails, the installed LiteRT.js is patched or newer; what users install is neither.
  it('the installed LiteRT.js still rejects int8 tensors itself', async () => {
    const core = await import('@litertjs/core');
    // @ts-expect-error -- its published types agree: no Int8Array
    expect(() => new core.Tensor(Int8Array.of(1), [1])).toThrow('Typed array Int8Array is not supported.');
  });
});

describe('models LiteRT.js cannot run', () => {
  it('rejects hello_world_float (dynamic batch) with a clear error', async () => {
    await expect(litert.compile(readModel('hello_world_float.tflite'))).rejects.toThrow(
      /input 'dense_input' has dynamic shape \[-1, 1\].*static shapes/,
    );
  });

  it('runs hello_world_float once its batch is pinned', async () => {
    const model = await litert.compile(pinDynamicDims(readModel('hello_world_float.tflite')));
    const [out] = model.run([{ data: Float32Array.of(Math.PI / 2), shape: [1, 1] }]);
    expect(out.dtype).toBe('float32');
    expect(out.data[0]).toBeCloseTo(1, 1);
    model.dispose();
  });

  it('reports what LiteRT logged about a rejected model', async () => {
    await expect(litert.compile(readModel('person_detect.tflite'))).rejects.toThrow(/quantized_dimension/);
  });
});

describe('malformed bytes', () => {
  it('rejects junk, truncated and empty input with clear errors, and keeps working', async () => {
    const mobilenet = readModel('mobilenet_v2_quantized_1x3x224x224.tflite');
    await expect(litert.compile(new Uint8Array(100).fill(7))).rejects.toThrow(
      /LiteRT could not load the model \(100 bytes\).*TFL3/,
    );
    await expect(litert.compile(mobilenet.slice(0, mobilenet.length >> 1))).rejects.toThrow(
      /LiteRT could not load the model/,
    );
    await expect(litert.compile(new Uint8Array(0))).rejects.toThrow(/Not a TFLite model/);
    await expect(litert.compile('model.tflite' as unknown as Uint8Array)).rejects.toThrow(/Uint8Array/);
    const model = await litert.compile(mobilenet);
    expect(model.run([{ data: new Int8Array(3 * 224 * 224), shape: [1, 3, 224, 224] }])[0].shape).toEqual([1, 1000]);
    model.dispose();
  });
});

describe('input checks', () => {
  it('rejects wrong count, dtype and shape before running', async () => {
    const model = await litert.compile(pinDynamicDims(readModel('hello_world_int8.tflite')));
    expect(() => model.run([])).toThrow(/got 0 input\(s\) but the model has 1: 'dense_input'/);
    expect(() => model.run([{ data: Float32Array.of(1), shape: [1, 1] }])).toThrow(/expects int8 data, got float32/);
    expect(() => model.run([{ data: Int8Array.of(1), shape: [1] }])).toThrow(/expects shape \[1, 1\], got \[1\]/);
    expect(() => model.run([{ data: Int8Array.of(1, 2), shape: [1, 1] }])).toThrow(/holds 1 element\(s\) but data has 2/);
    model.dispose();
  });
});
