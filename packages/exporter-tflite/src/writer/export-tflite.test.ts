import type { Exporter } from '@qatkit/core';
import { ByteBuffer } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { Model } from '../generated/tflite/model.js';
import { readTflite } from '../reader/read-tflite.js';
import { allOpsNet, smallCnn } from '../test-utils/build-net.js';
import { exportTflite, tfliteExporter } from './export-tflite.js';

/** Byte offset of each buffer's data within the file, found through the generated reader. */
function dataOffsets(bytes: Uint8Array): { index: number; offset: number; length: number }[] {
  const model = Model.getRootAsModel(new ByteBuffer(bytes));
  const out = [];
  for (let i = 0; i < model.buffersLength(); i++) {
    const data = model.buffers(i)!.dataArray();
    if (data) out.push({ index: i, offset: data.byteOffset - bytes.byteOffset, length: data.length });
  }
  return out;
}

describe('exportTflite: small CNN', () => {
  const { graph } = smallCnn();

  it('writes the expected operators, tensors and quantization (int8 I/O)', () => {
    const model = readTflite(exportTflite(graph, { io: 'int8' }));
    expect(model.version).toBe(3);
    expect(model.description).toBe('qatkit');
    expect(model.subgraphs).toHaveLength(1);
    const sg = model.subgraphs[0]!;
    expect(sg.name).toBe('small_cnn');
    expect(sg.operators.map((o) => [o.opcode, o.version])).toEqual([
      ['CONV_2D', 3],
      ['MAX_POOL_2D', 2],
      ['RESHAPE', 1],
      ['FULLY_CONNECTED', 4],
      ['SOFTMAX', 2],
    ]);
    const t = (i: number) => sg.tensors[i]!;
    const conv = sg.operators[0]!;
    expect(t(conv.inputs[0]!)).toMatchObject({ name: 'input', type: 'INT8', shape: [1, 8, 8, 3], hasData: false });
    const w = t(conv.inputs[1]!);
    expect(w).toMatchObject({ name: 'conv_0/weights', type: 'INT8', shape: [4, 3, 3, 3], hasData: true });
    expect(w.quantization!.scale).toHaveLength(4);
    expect(w.quantization!.zeroPoint).toEqual([0, 0, 0, 0]);
    expect(w.quantization!.quantizedDimension).toBe(0);
    const bias = t(conv.inputs[2]!);
    expect(bias).toMatchObject({ type: 'INT32', shape: [4], hasData: true });
    const inScale = graph.tensors.input!.quantization!.scale[0]!;
    bias.quantization!.scale.forEach((s, c) => expect(s).toBeCloseTo(inScale * w.quantization!.scale[c]!, 9));
    // Conv output after a fused ReLU: zero point at the bottom of the int8 range.
    expect(t(conv.outputs[0]!).quantization!.zeroPoint).toEqual([-128]);
    // Float32 scales in the file equal the IR's, rounded to float32.
    expect(w.quantization!.scale).toEqual(graph.tensors['conv_0/weights']!.quantization!.scale.map(Math.fround));

    const reshape = sg.operators[2]!;
    expect(reshape.inputs).toHaveLength(2);
    expect(t(reshape.inputs[1]!)).toMatchObject({ type: 'INT32', shape: [2], hasData: true });
    expect(t(reshape.outputs[0]!).shape).toEqual([1, 64]);
    const softmax = t(sg.operators[4]!.outputs[0]!);
    expect(softmax.quantization).toEqual({ scale: [1 / 256], zeroPoint: [-128], quantizedDimension: 0 });
    expect(sg.inputs.map((i) => t(i).name)).toEqual(['input']);
    expect(sg.outputs.map((i) => t(i).type)).toEqual(['INT8']);
  });

  it('gives every tensor its own buffer after the empty buffer 0', () => {
    const model = readTflite(exportTflite(graph));
    const sg = model.subgraphs[0]!;
    expect(model.buffers).toBe(sg.tensors.length + 1);
    expect(new Set(sg.tensors.map((t) => t.buffer)).size).toBe(sg.tensors.length);
    expect(sg.tensors.every((t) => t.buffer > 0)).toBe(true);
  });

  it('stores constant data 16-byte aligned and writes no empty data vectors', () => {
    const bytes = exportTflite(graph);
    const model = readTflite(bytes);
    const offsets = dataOffsets(bytes);
    const constants = model.subgraphs[0]!.tensors.filter((t) => t.hasData);
    expect(offsets.map((o) => o.index).sort((a, b) => a - b)).toEqual(constants.map((t) => t.buffer).sort((a, b) => a - b));
    for (const { offset, length } of offsets) {
      expect(offset % 16).toBe(0);
      expect(length).toBeGreaterThan(0);
    }
  });

  it('stores weight bytes and int32 shape data verbatim (little-endian)', () => {
    const bytes = exportTflite(graph, { io: 'int8' });
    const model = Model.getRootAsModel(new ByteBuffer(bytes));
    const sg = model.subgraphs(0)!;
    const byName = new Map<string, number>();
    for (let i = 0; i < sg.tensorsLength(); i++) byName.set(sg.tensors(i)!.name()!, sg.tensors(i)!.buffer());
    const weights = graph.tensors['conv_0/weights']!.data as Int8Array;
    expect(new Int8Array(model.buffers(byName.get('conv_0/weights')!)!.dataArray()!.slice().buffer)).toEqual(weights);
    const shape = model.buffers(byName.get('flatten_2/shape')!)!.dataArray()!;
    expect(new DataView(shape.buffer, shape.byteOffset).getInt32(4, true)).toBe(64);
  });

  it('is deterministic', () => {
    for (const io of ['float32', 'int8', 'uint8'] as const) {
      expect(exportTflite(graph, { io })).toEqual(exportTflite(smallCnn().graph, { io }));
    }
    expect(exportTflite(graph, { description: 'x' })).not.toEqual(exportTflite(graph));
  });

  it('io float32 (default) adds QUANTIZE and DEQUANTIZE at the edges', () => {
    const sg = readTflite(exportTflite(graph)).subgraphs[0]!;
    const ops = sg.operators.map((o) => o.opcode);
    expect(ops[0]).toBe('QUANTIZE');
    expect(ops.at(-1)).toBe('DEQUANTIZE');
    expect(sg.operators.at(-1)!.version).toBe(2);
    const input = sg.tensors[sg.inputs[0]!]!;
    const output = sg.tensors[sg.outputs[0]!]!;
    expect(input).toMatchObject({ type: 'FLOAT32', shape: [1, 8, 8, 3] });
    expect(input.quantization).toBeUndefined();
    expect(output).toMatchObject({ type: 'FLOAT32', shape: [1, 10] });
    expect(sg.tensors[sg.operators[0]!.outputs[0]!]!.name).toBe('input');
  });

  it('io uint8 shifts the zero point by 128 and keeps the scale', () => {
    const sg = readTflite(exportTflite(graph, { io: 'uint8' })).subgraphs[0]!;
    const ops = sg.operators;
    expect([ops[0]!.opcode, ops.at(-1)!.opcode]).toEqual(['QUANTIZE', 'QUANTIZE']);
    const input = sg.tensors[sg.inputs[0]!]!;
    const inner = sg.tensors[ops[0]!.outputs[0]!]!;
    expect(input.type).toBe('UINT8');
    expect(input.quantization!.scale).toEqual(inner.quantization!.scale);
    expect(input.quantization!.zeroPoint[0]).toBe(inner.quantization!.zeroPoint[0]! + 128);
    const output = sg.tensors[sg.outputs[0]!]!;
    expect(output.quantization).toEqual({ scale: [1 / 256], zeroPoint: [0], quantizedDimension: 0 });
    // QUANTIZE is used twice but appears once in the operator-code table.
    expect(new Set(ops.map((o) => o.opcode)).size).toBe(ops.length - 1);
  });

  it('covers the conv-net op kinds in one chain', () => {
    const { graph: all } = allOpsNet();
    const sg = readTflite(exportTflite(all)).subgraphs[0]!;
    expect(sg.operators.map((o) => o.opcode)).toEqual([
      'QUANTIZE', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'RELU6', 'AVERAGE_POOL_2D', 'RELU', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX', 'DEQUANTIZE',
    ]);
    const dw = sg.tensors[sg.operators[2]!.inputs[1]!]!;
    expect(dw.shape).toEqual([1, 3, 3, 6]);
    expect(dw.quantization!.quantizedDimension).toBe(3);
    expect(dw.quantization!.scale).toHaveLength(6);
  });
});

describe('tfliteExporter', () => {
  it('is a frozen plugin object usable as a core Exporter', () => {
    const exporter: Exporter = tfliteExporter();
    expect(Object.isFrozen(exporter)).toBe(true);
    expect(exporter).toMatchObject({ name: 'tflite', format: 'tflite', extension: '.tflite' });
    const { graph } = smallCnn();
    expect(exporter.export(graph, { io: 'uint8' })).toEqual(exportTflite(graph, { io: 'uint8' }));
  });
});
