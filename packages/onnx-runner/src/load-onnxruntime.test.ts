import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from './load-onnxruntime.js';
import { doubling, ONNX_TYPE } from './test-utils/tiny-model.js';

describe('loadOnnxRuntime', () => {
  it('loads once and runs float32, int8 and uint8 models', async () => {
    const ort = await loadOnnxRuntime();
    expect(await loadOnnxRuntime()).toBe(ort);
    expect(ort.version).toMatch(/^1\.30\./);
    const float = await ort.compile(doubling(ONNX_TYPE.FLOAT));
    expect(float.inputs).toEqual([{ name: 'x', shape: [1, 4], dtype: 'float32' }]);
    const [y] = await float.run([{ data: Float32Array.from([1, -2, 0.5, 3]), shape: [1, 4] }]);
    expect(y).toEqual({ data: Float32Array.from([2, -4, 1, 6]), shape: [1, 4], dtype: 'float32' });
    const int8 = await ort.compile(doubling(ONNX_TYPE.INT8));
    expect(Array.from((await int8.run([{ data: Int8Array.from([1, -2, 30, -60]), shape: [1, 4] }]))[0]!.data)).toEqual([2, -4, 60, -120]);
    const uint8 = await ort.compile(doubling(ONNX_TYPE.UINT8));
    const [u] = await uint8.run([{ data: Uint8Array.from([1, 2, 100, 127]), shape: [1, 4] }]);
    expect(u!.dtype).toBe('uint8');
    expect(Array.from(u!.data)).toEqual([2, 4, 200, 254]);
    await Promise.all([float.dispose(), int8.dispose(), uint8.dispose()]);
  });

  it('checks inputs before onnxruntime sees them', async () => {
    const m = await (await loadOnnxRuntime()).compile(doubling(ONNX_TYPE.INT8));
    await expect(m.run([{ data: new Float32Array(4), shape: [1, 4] }])).rejects.toThrow("input 0 ('x'): the model expects int8 data, got float32");
    await expect(m.run([{ data: new Int8Array(4), shape: [4] }])).rejects.toThrow('the model expects shape [1, 4], got [4]');
    await expect(m.run([])).rejects.toThrow("run() got 0 input(s) but the model has 1: 'x'");
    await m.dispose();
    await m.dispose();
    await expect(m.run([{ data: new Int8Array(4), shape: [1, 4] }])).rejects.toThrow('run() after dispose()');
  });

  it('refuses bytes that are not a model, and saves the optimized model when asked', async () => {
    const ort = await loadOnnxRuntime();
    await expect(ort.compile(new Uint8Array([1, 2, 3]))).rejects.toThrow(/^onnxruntime could not load the model \(3 bytes\): /);
    const dir = mkdtempSync(join(tmpdir(), 'onnx-runner-'));
    try {
      const path = join(dir, 'optimized.onnx');
      await (await ort.compile(doubling(ONNX_TYPE.FLOAT), { optimizedModelFilePath: path, graphOptimizationLevel: 'basic' })).dispose();
      expect(existsSync(path)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
