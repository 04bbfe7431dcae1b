import { isQatkitError } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { MODELS_DIR, modelFiles, readModel } from '../test-utils/paths.js';
import { rng } from '../test-utils/build-net.js';
import { readTflite } from './read-tflite.js';

function expectMalformed(bytes: Uint8Array): void {
  let error: unknown;
  try {
    readTflite(bytes);
  } catch (e) {
    error = e;
  }
  expect(isQatkitError(error, 'MALFORMED_MODEL'), String(error)).toBe(true);
}

describe('readTflite on real converter output', () => {
  it('finds the shared models', () => {
    expect(MODELS_DIR).toBeDefined();
    expect(modelFiles().length).toBeGreaterThanOrEqual(10);
  });

  it.each(modelFiles())('reads %s', (file) => {
    const model = readTflite(readModel(file));
    expect(model.version).toBe(3);
    expect(model.subgraphs.length).toBeGreaterThanOrEqual(1);
    const sg = model.subgraphs[0]!;
    expect(sg.operators.length).toBeGreaterThan(0);
    for (const op of sg.operators) {
      expect(op.opcode).not.toMatch(/^UNKNOWN/);
      for (const i of [...op.inputs, ...op.outputs]) expect(i).toBeLessThan(sg.tensors.length);
    }
    for (const t of sg.tensors) expect(t.buffer).toBeLessThan(model.buffers);
  });

  it('reads hello_world_int8: three int8 FULLY_CONNECTED ops', () => {
    const model = readTflite(readModel('hello_world_int8.tflite'));
    const sg = model.subgraphs[0]!;
    expect(model.description).toBe('MLIR Converted.');
    expect(sg.operators.map((o) => o.opcode)).toEqual(['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
    expect(sg.operators[0]!.version).toBe(4);
    const input = sg.tensors[sg.inputs[0]!]!;
    expect(input).toMatchObject({ type: 'INT8', shape: [1, 1], hasData: false });
    expect(input.quantization?.zeroPoint).toEqual([-128]);
    const weights = sg.tensors[sg.operators[0]!.inputs[1]!]!;
    expect(weights).toMatchObject({ type: 'INT8', shape: [16, 1], hasData: true });
    expect(sg.tensors[sg.operators[0]!.inputs[2]!]!.type).toBe('INT32');
  });

  it('reads mobilenet_v2: conv and depthwise layers with per-axis weights', () => {
    const sg = readTflite(readModel('mobilenet_v2_quantized_1x3x224x224.tflite')).subgraphs[0]!;
    const kinds = new Set(sg.operators.map((o) => o.opcode));
    expect(kinds).toContain('CONV_2D');
    expect(kinds).toContain('DEPTHWISE_CONV_2D');
    expect(sg.tensors[sg.inputs[0]!]!.shape).toEqual([1, 3, 224, 224]);
    const dw = sg.operators.find((o) => o.opcode === 'DEPTHWISE_CONV_2D')!;
    const w = sg.tensors[dw.inputs[1]!]!;
    expect(w.shape[0]).toBe(1);
    expect(w.quantization!.scale.length).toBe(w.shape[3]);
    expect(w.quantization!.quantizedDimension).toBe(3);
  });

  it('applies the deprecated_builtin_code rule (old TOCO files)', () => {
    const sg = readTflite(readModel('micro_speech_quantized.tflite')).subgraphs[0]!;
    expect(sg.operators.map((o) => o.opcode)).toEqual(['RESHAPE', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX']);
  });

  it('reports custom operators by name', () => {
    const ops = readTflite(readModel('person_detect_vela.tflite')).subgraphs[0]!.operators;
    expect(ops[0]).toMatchObject({ opcode: 'CUSTOM', customCode: 'ethos-u' });
  });
});

describe('readTflite on malformed input', () => {
  const real = readModel('hello_world_int8.tflite');

  it('reads a model held in a Node Buffer at any byte offset', () => {
    const expected = readTflite(real);
    for (let offset = 0; offset < 9; offset++) {
      // A slice of a larger Buffer: same memory, offset not a multiple of 4 or 8.
      const big = Buffer.alloc(real.length + 16);
      big.set(real, offset);
      const view = big.subarray(offset, offset + real.length);
      expect(view.byteOffset % 8).toBe(offset % 8);
      expect(readTflite(view)).toEqual(expected);
    }
  });

  it('rejects a value that is not bytes', () => {
    expectMalformed('model.tflite' as unknown as Uint8Array);
    expectMalformed(null as unknown as Uint8Array);
  });

  it('rejects empty and tiny input', () => {
    expectMalformed(new Uint8Array(0));
    expectMalformed(new Uint8Array([1, 2, 3]));
  });

  it('rejects a wrong file identifier', () => {
    const copy = real.slice();
    copy.set([0x54, 0x46, 0x4c, 0x32], 4); // "TFL2"
    expectMalformed(copy);
  });

  it('rejects random bytes', () => {
    const random = rng(7);
    for (let i = 0; i < 50; i++) {
      const bytes = Uint8Array.from({ length: 16 + i * 37 }, () => Math.floor(random() * 256));
      if (i % 2 === 0) bytes.set([0x54, 0x46, 0x4c, 0x33], 4); // get past the identifier check
      expectMalformed(bytes);
    }
  });

  it('rejects every truncation of a real file', () => {
    for (let n = 8; n < real.length; n += 7) expectMalformed(real.subarray(0, n));
  });

  it('never crashes on corrupted bytes', () => {
    const random = rng(11);
    for (let i = 0; i < 300; i++) {
      const copy = real.slice();
      for (let k = 0; k < 4; k++) copy[8 + Math.floor(random() * (copy.length - 8))] = Math.floor(random() * 256);
      try {
        readTflite(copy);
      } catch (e) {
        expect(isQatkitError(e, 'MALFORMED_MODEL'), String(e)).toBe(true);
      }
    }
  });

  it('rejects an out-of-range root offset', () => {
    const copy = real.slice();
    new DataView(copy.buffer).setUint32(0, 0x7fffffff, true);
    expectMalformed(copy);
  });

  it('reads a file that starts at an unaligned offset', () => {
    const shifted = new Uint8Array(real.length + 3);
    shifted.set(real, 3);
    expect(readTflite(shifted.subarray(3)).subgraphs[0]!.operators).toHaveLength(3);
  });
});
