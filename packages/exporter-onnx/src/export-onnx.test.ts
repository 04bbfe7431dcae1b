import { createQuantizer, isQatkitError, type Graph, type QuantizeScheme } from '@qatkit/core';
import { loadOnnxRuntime } from '@qatkit/onnx-runner';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { exportOnnx, onnxExporter, type OnnxExportOptions } from './export-onnx.js';
import { OP_TABLE } from './writer/op-table.js';
import { smallNet, withTensor } from './test-utils/small-graph.js';

/** The decoded model as plain data (numbers for int64 fields, empty arrays for absent ones). */
interface ValueInfo { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimValue: number }[] } } } }
interface Model {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  graph: {
    node: { opType: string; input: string[]; output: string[]; attribute: { name: string; i: number }[] }[];
    initializer: { name: string; dataType: number; dims: number[] }[];
    input: ValueInfo[];
    output: ValueInfo[];
  };
}
const decode = (bytes: Uint8Array): Model =>
  onnxProto.onnx.ModelProto.toObject(onnxProto.onnx.ModelProto.decode(bytes), { longs: Number, defaults: true, arrays: true }) as Model;
const DataType = onnxProto.onnx.TensorProto.DataType;

function refusal(graph: Graph, options: OnnxExportOptions = {}): { code: string; message: string } {
  try {
    exportOnnx(graph, options);
  } catch (err) {
    if (isQatkitError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('exported without an error');
}

describe('exportOnnx', () => {
  it('writes the QDQ form: int8 weights with a per-axis DequantizeLinear, int32 bias, a QuantizeLinear after each op', () => {
    const model = decode(exportOnnx(smallNet()));
    expect(model.irVersion).toBe(7);
    expect(model.opsetImport.map((o) => [o.domain, o.version])).toEqual([['', 13]]);
    const g = model.graph;
    expect(g.node.map((n) => n.opType)).toEqual([
      'Transpose', 'QuantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'Conv', 'Relu', 'QuantizeLinear',
      'DequantizeLinear', 'Reshape', 'QuantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'Gemm', 'QuantizeLinear', 'DequantizeLinear',
    ]);
    const init = (name: string) => g.initializer.find((t) => t.name === name)!;
    expect(init('conv/weights').dataType).toBe(DataType.INT8);
    expect(init('conv/weights').dims).toEqual([3, 2, 3, 3]); // OHWI → OIHW
    expect(init('conv/bias').dataType).toBe(DataType.INT32);
    const weightDq = g.node.find((n) => n.output[0] === 'conv/weights:dq')!;
    expect(weightDq.attribute.map((a) => [a.name, a.i])).toEqual([['axis', 0]]);
    // One Transpose, of the NHWC model input; Flatten → Dense reads NCHW data as is (the Dense columns are permuted instead).
    expect(g.node.filter((n) => n.opType === 'Transpose').map((n) => n.input[0])).toEqual(['x']);
    expect(g.input.map((i) => [i.name, i.type.tensorType.elemType, i.type.tensorType.shape.dim.map((d) => d.dimValue)])).toEqual([['x', DataType.FLOAT, [1, 6, 6, 2]]]);
    expect(g.output.map((o) => [o.name, o.type.tensorType.elemType])).toEqual([['logits', DataType.FLOAT]]);
  });

  it('gives the same bytes for the same graph, and plain float ONNX for a float graph', () => {
    expect(Buffer.from(exportOnnx(smallNet(), { io: 'uint8' })).equals(Buffer.from(exportOnnx(smallNet(), { io: 'uint8' })))).toBe(true);
    const float = decode(exportOnnx(smallNet(true))).graph;
    expect(float.node.map((n) => n.opType)).toEqual(['Transpose', 'Conv', 'Relu', 'Reshape', 'Gemm']);
    expect(new Set(float.initializer.map((t) => t.dataType))).toEqual(new Set([DataType.FLOAT, DataType.INT64]));
  });

  it('takes the model I/O type and layout as options', () => {
    const io = (options: OnnxExportOptions) => {
      const g = decode(exportOnnx(smallNet(), options)).graph;
      return [g.input[0]!.type.tensorType.elemType, g.input[0]!.type.tensorType.shape.dim.map((d) => d.dimValue), g.output[0]!.type.tensorType.elemType];
    };
    expect(io({ io: 'int8' })).toEqual([DataType.INT8, [1, 6, 6, 2], DataType.INT8]);
    expect(io({ io: 'uint8', layout: 'nchw' })).toEqual([DataType.UINT8, [1, 2, 6, 6], DataType.UINT8]);
    expect(decode(exportOnnx(smallNet(), { opset: 21 })).irVersion).toBe(10);
  });

  it('runs on onnxruntime: int8, uint8 and float32 I/O, NHWC and NCHW inputs give the same integers', async () => {
    const ort = await loadOnnxRuntime();
    const x = Int8Array.from({ length: 72 }, (_, i) => ((i * 53) % 256) - 128);
    const nchw = Int8Array.from({ length: 72 }, (_, i) => x[(i % 36) * 2 + Math.floor(i / 36)]!);
    const run = async (options: OnnxExportOptions, data: Int8Array | Uint8Array | Float32Array, shape: number[]) => {
      const m = await ort.compile(exportOnnx(smallNet(), options));
      const [out] = await m.run([{ data, shape }]);
      await m.dispose();
      return Array.from(out!.data);
    };
    const int8 = await run({ io: 'int8' }, x, [1, 6, 6, 2]);
    expect(int8.some((v) => v !== int8[0])).toBe(true);
    expect(await run({ io: 'int8', layout: 'nchw' }, nchw, [1, 2, 6, 6])).toEqual(int8);
    expect(await run({ io: 'int8', activations: 'uint8' }, x, [1, 6, 6, 2])).toEqual(int8);
    expect(await run({ io: 'uint8' }, Uint8Array.from(x, (v) => v + 128), [1, 6, 6, 2])).toEqual(int8.map((v) => v + 128));
    const real = await run({}, Float32Array.from(x, (v) => (v + 128) / 64), [1, 6, 6, 2]);
    expect(real.map((v) => Math.round(v / 0.05) + 3)).toEqual(int8);
  });

  it('is the onnx plugin for createQuantizer', () => {
    const scheme: QuantizeScheme = { name: 'none', registry: { rules: [], lookup: () => undefined } as never, transforms: [] } as unknown as QuantizeScheme;
    const q = createQuantizer({ scheme, exporters: [onnxExporter()] });
    expect(Buffer.from(q.export(smallNet(), 'onnx', { io: 'int8' })).equals(Buffer.from(exportOnnx(smallNet(), { io: 'int8' })))).toBe(true);
    expect(onnxExporter()).toMatchObject({ format: 'onnx', extension: '.onnx' });
  });

  it('has a row for every IR op kind', () => {
    expect(Object.keys(OP_TABLE).length).toBe(31);
  });
});

describe('exportOnnx refuses what it cannot write, before any byte', () => {
  it('options it cannot honour', () => {
    expect(refusal(smallNet(), { opset: 12 })).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('opset must be an integer from 13') });
    expect(refusal(smallNet(), { opset: 22 }).code).toBe('INVALID_OPTION');
    expect(refusal(smallNet(), { io: 'int16' as never }).code).toBe('INVALID_OPTION');
    expect(refusal(smallNet(), { layout: 'nwhc' as never }).code).toBe('INVALID_OPTION');
    expect(refusal(smallNet(), { activations: 'int4' as never }).code).toBe('INVALID_OPTION');
    expect(refusal(smallNet(true), { io: 'int8' })).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('graph input "x" is float32') });
  });

  it('16-bit tensors below opset 21', () => {
    const q16 = { scale: [0.001], zeroPoint: [0], bits: 16, signed: true, narrowRange: false };
    const graph = withTensor(smallNet(), 'conv', { dtype: 'int16', quantization: q16 });
    expect(refusal(graph)).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('from opset 21') });
  });

  it('per-axis scales where there is no channel axis, non-constant weights, unknown kinds', () => {
    const perAxis = { scale: [0.01, 0.02, 0.03], zeroPoint: [-128, -128, -128], axis: 3, bits: 8, signed: true, narrowRange: false };
    expect(refusal(withTensor(smallNet(), 'conv', { quantization: perAxis }))).toMatchObject({ code: 'UNSUPPORTED_OP', message: expect.stringContaining('quantized per axis') });
    const net = smallNet();
    const unknown = { ...net, ops: net.ops.map((op) => (op.kind === 'Reshape' ? { ...op, kind: 'Flatten' } : op)) } as unknown as Graph;
    expect(refusal(unknown).code).toMatch(/UNSUPPORTED_OP|INVALID_GRAPH/);
    const tooWide = withTensor(smallNet(), 'conv', { quantization: { scale: [0.01], zeroPoint: [-128], bits: 12, signed: true, narrowRange: false } });
    expect(refusal(tooWide)).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('stored as int8') });
  });
});
