import { describe, expect, it } from 'vitest';
import { GraphBuilder, isQatkitError, type Graph, type Quantization } from '@qatkit/core';
import { readTflite } from '../reader/read-tflite.js';
import { parseBitsPayload } from './bits-metadata.js';
import { exportTflite } from './export-tflite.js';

/** x → MAXIMUM(x, constant) → y, every tensor quantized to `bits` in int8. */
function clampGraph(bits: number): Graph {
  const q: Quantization = { scale: [0.25], zeroPoint: [0], bits, signed: true, narrowRange: false };
  const b = new GraphBuilder('narrow');
  b.addTensor({ name: 'x', shape: [1, 4], dtype: 'int8', quantization: q });
  b.addTensor({ name: 'lo', shape: [1], dtype: 'int8', data: Int8Array.of(-8), quantization: q });
  b.addTensor({ name: 'y', shape: [1, 4], dtype: 'int8', quantization: q });
  b.addOp('Maximum', 'clamp', ['x', 'lo'], ['y'], {});
  return b.setInputs(['x']).setOutputs(['y']).build();
}

describe('the "qatkit.bits" metadata', () => {
  it('names the true width of n-bit tensors, and readTflite reads it back', () => {
    const bytes = exportTflite(clampGraph(4), { io: 'int8' });
    const tensors = readTflite(bytes).subgraphs[0]!.tensors;
    expect(Object.fromEntries(tensors.map((t) => [t.name, t.bits]))).toEqual({ x: 4, lo: 4, y: 4 });
    expect(Buffer.from(exportTflite(clampGraph(4), { io: 'int8' })).equals(Buffer.from(bytes))).toBe(true);
  });

  it('is absent at 8 bits', () => {
    const bytes = exportTflite(clampGraph(8), { io: 'int8' });
    expect(readTflite(bytes).subgraphs[0]!.tensors.every((t) => t.bits === undefined)).toBe(true);
    expect(new TextDecoder().decode(bytes)).not.toContain('qatkit.bits');
  });

  it('refuses a width the int8 storage cannot hold, naming the tensor', () => {
    try {
      exportTflite(clampGraph(12), { io: 'int8' });
      expect.unreachable();
    } catch (e) {
      expect(isQatkitError(e)).toBe(true);
      expect((e as Error).message).toMatch(/tensor "x" is quantized to 12 bits but stored as int8/);
    }
  });

  it('rejects malformed payloads with the reason', () => {
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    expect(parseBitsPayload(enc({ version: 1, tensors: [[0, 4], [2, 3]] }), 3)).toEqual(new Map([[0, 4], [2, 3]]));
    expect(parseBitsPayload(enc({ version: 1, tensors: [[5, 4]] }), 3)).toMatch(/not \[tensor index < 3/);
    expect(parseBitsPayload(enc({}), 3)).toMatch(/no "tensors" array/);
    expect(parseBitsPayload(Uint8Array.of(0xff), 3)).toMatch(/not UTF-8 JSON/);
  });
});
