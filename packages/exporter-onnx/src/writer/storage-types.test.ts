import { isQatkitError, type Graph } from '@qatkit/core';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { exportOnnx, type OnnxExportOptions } from '../export-onnx.js';
import { smallNet, withTensor } from '../test-utils/small-graph.js';
import { packNibbles } from './storage-types.js';

/** smallNet with 4-bit conv weights (levels already in [-7, 7]) and a 4-bit ReLU output. */
function fourBit(): Graph {
  const g = smallNet();
  const w = g.tensors['conv/weights']!;
  const withW = withTensor(g, 'conv/weights', { quantization: { ...w.quantization!, bits: 4 } });
  return withTensor(withW, 'conv', { quantization: { scale: [0.4], zeroPoint: [-8], bits: 4, signed: true, narrowRange: false } });
}

function refusal(graph: Graph, options: OnnxExportOptions): string {
  try {
    exportOnnx(graph, options);
  } catch (err) {
    if (isQatkitError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('exported without an error');
}

describe('packNibbles', () => {
  it('puts element 2i in the low nibble and 2i+1 in the high one, two’s complement', () => {
    expect([...packNibbles([1, 2, -1, -8, 7, 0])]).toEqual([0x21, 0x8f, 0x07]);
  });
  it('pads an odd count with a zero high nibble', () => {
    expect([...packNibbles([-3, 5, 6])]).toEqual([0x5d, 0x06]);
    expect([...packNibbles([15])]).toEqual([0x0f]);
    expect(packNibbles([]).length).toBe(0);
  });
});

describe('int4 option', () => {
  it('writes 4-bit tensors as INT4 from opset 21 (auto), as int8 below it, and always deterministically', () => {
    const g = fourBit();
    const at21 = exportOnnx(g, { opset: 21 });
    const weights = (bytes: Uint8Array) => onnxProto.onnx.ModelProto.decode(bytes).graph!.initializer!.find((t) => t.name === 'conv/weights')!;
    // 54 weights: 27 bytes as INT4 (type 22), 54 as int8.
    expect([weights(at21).dataType, weights(at21).rawData!.length]).toEqual([22, 27]);
    expect([weights(exportOnnx(g, { opset: 21, int4: 'never' })).dataType, weights(exportOnnx(g, { opset: 20 })).rawData!.length]).toEqual([onnxProto.onnx.TensorProto.DataType.INT8, 54]);
    expect(Buffer.from(exportOnnx(g, { opset: 21 })).equals(Buffer.from(at21))).toBe(true);
    expect(Buffer.from(exportOnnx(g, { opset: 13 })).equals(Buffer.from(exportOnnx(g, { opset: 13, int4: 'never' })))).toBe(true);
  });
  it("refuses 'always' below opset 21, naming the tensor and the option", () => {
    expect(refusal(fourBit(), { opset: 20, int4: 'always' })).toMatch(
      /^INVALID_OPTION: tensor "conv\/weights" is 4-bit; int4 storage needs opset 21 .*export with \{ opset: 21 \}, or with \{ int4: 'auto' \} to store it as int8 at opset 20$/,
    );
    expect(refusal(fourBit(), { int4: 'yes' as 'auto' })).toMatch(/int4 must be one of auto, always, never/);
  });
  it('refuses a 4-bit tensor whose zero point or data leave the 4-bit range', () => {
    const g = withTensor(fourBit(), 'conv', { quantization: { scale: [0.4], zeroPoint: [-128], bits: 4, signed: true, narrowRange: false } });
    expect(refusal(g, { opset: 21 })).toMatch(/tensor "conv" is quantized to 4 bits but holds -128 .*outside int4 \[-8, 7\]; export with \{ int4: 'never' \}/);
    expect(() => exportOnnx(g, { opset: 21, int4: 'never' })).not.toThrow();
  });
});
