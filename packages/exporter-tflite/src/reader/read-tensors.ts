import { QatkitError } from '@qatkit/core';
import type { Model } from '../generated/tflite/model.js';
import type { SubGraph } from '../generated/tflite/sub-graph.js';
import type { Tensor } from '../generated/tflite/tensor.js';
import { TensorType } from '../generated/tflite/tensor-type.js';
import { BYTE_VALUES_LIMIT, ELEMENT_BYTES, VALUES_LIMIT, type TfliteQuantizationSummary, type TfliteTensorSummary } from './summary.js';

export function malformed(message: string): never {
  throw new QatkitError('MALFORMED_MODEL', `not a valid TFLite model: ${message}`);
}

/** Caps the elements summarised: a valid file stores each one separately, a hostile file may alias one many times. */
export interface Budget {
  left: number;
}

export function spend(budget: Budget, n: number): void {
  budget.left -= n;
  if (budget.left < 0) malformed('structures are aliased beyond the size of the file');
}

/** Field presence straight from the (verified) vtable: the generated accessors would build objects. */
function hasField(t: Tensor, vtableOffset: number): boolean {
  return t.bb!.__offset(t.bb_pos, vtableOffset) !== 0;
}

/** Read as stored: an out-of-range quantized_dimension is for the targets to judge (TFLite's interpreter refuses it, TFLM does not). */
function quantizationOf(t: Tensor, view: DataView, budget: Budget): TfliteQuantizationSummary | undefined {
  const q = t.quantization();
  const scaleCount = q?.scaleLength() ?? 0;
  if (!q || scaleCount === 0) return undefined;
  const zeroPoint: number[] = [];
  const field = q.bb!.__offset(q.bb_pos, 10); // zero_point:[long], field 3
  if (field !== 0) {
    // int64 values without BigInt: per-axis tensors carry one per channel, thousands per model.
    const start = q.bb!.__vector(q.bb_pos + field); // `view` starts where the ByteBuffer's bytes do
    const n = q.bb!.__vector_len(q.bb_pos + field);
    for (let k = 0; k < n; k++) zeroPoint.push(view.getInt32(start + 8 * k + 4, true) * 4294967296 + view.getUint32(start + 8 * k, true));
  }
  spend(budget, scaleCount + zeroPoint.length);
  return { scale: Array.from(q.scaleArray()!), zeroPoint, quantizedDimension: q.quantizedDimension() };
}

function decodeValues(type: string, view: DataView, offset: number, count: number): number[] | undefined {
  const read: ((at: number) => number) | undefined = {
    INT8: (at: number) => view.getInt8(offset + at),
    UINT8: (at: number) => view.getUint8(offset + at),
    INT16: (at: number) => view.getInt16(offset + at * 2, true),
    INT32: (at: number) => view.getInt32(offset + at * 4, true),
    INT64: (at: number) => view.getInt32(offset + at * 8 + 4, true) * 4294967296 + view.getUint32(offset + at * 8, true),
    FLOAT32: (at: number) => view.getFloat32(offset + at * 4, true),
  }[type];
  if (!read) return undefined;
  const out: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

/** The constant data of buffer `index`: inline, or by offset/size for files over 2 GB. */
function dataOf(model: Model, index: number, bytes: Uint8Array): { offset: number; length: number } | undefined {
  if (index === 0) return undefined;
  const buffer = model.buffers(index)!;
  const inline = buffer.dataArray();
  if (inline && inline.length > 0) return { offset: inline.byteOffset - bytes.byteOffset, length: inline.length };
  const size = buffer.size();
  if (size === 0n) return undefined;
  const offset = buffer.offset();
  if (offset <= 1n || offset + size > BigInt(bytes.length)) {
    malformed(`buffer ${index} claims ${size} bytes at offset ${offset}, outside the ${bytes.length}-byte file`);
  }
  return { offset: Number(offset), length: Number(size) };
}

/** Reads tensor `i` of `sg`, checking its shape, buffer index, quantization and data size. */
export function readTensor(sg: SubGraph, i: number, model: Model, bytes: Uint8Array, view: DataView, budget: Budget): TfliteTensorSummary {
  const t = sg.tensors(i)!;
  const shape = Array.from(t.shapeArray() ?? []);
  const signature = t.shapeSignatureArray();
  spend(budget, 1 + shape.length + (signature?.length ?? 0));
  for (const d of shape) if (d < 0) malformed(`tensor ${i} has dimension ${d} (unknown sizes belong in shape_signature)`);
  const shapeSignature = signature && signature.length > 0 ? Array.from(signature) : undefined;
  if (shapeSignature?.some((d) => d < -1)) malformed(`tensor ${i} has dimension ${Math.min(...shapeSignature)} in its shape signature`);
  const bufferIndex = t.buffer();
  if (bufferIndex >= model.buffersLength()) malformed(`tensor ${i} uses buffer ${bufferIndex}, but there are ${model.buffersLength()}`);
  const type = TensorType[t.type()] ?? `UNKNOWN_${t.type()}`;
  const quantization = quantizationOf(t, view, budget);
  const sparse = hasField(t, 16);
  const data = dataOf(model, bufferIndex, bytes);
  const elements = shape.reduce((a, b) => a * b, 1);
  const elementBytes = ELEMENT_BYTES[type];
  if (data && elementBytes !== undefined && !sparse && data.length !== elements * elementBytes) {
    malformed(`tensor ${i} (${type} [${shape.join(', ')}]) needs ${elements * elementBytes} bytes of data, its buffer has ${data.length}`);
  }
  let values: number[] | undefined;
  if (data && !sparse && elements <= (elementBytes === 1 ? BYTE_VALUES_LIMIT : VALUES_LIMIT)) {
    values = decodeValues(type, view, data.offset, elements);
  }
  return {
    name: t.name() ?? '',
    shape,
    ...(shapeSignature ? { shapeSignature } : {}),
    type,
    ...(quantization ? { quantization } : {}),
    buffer: bufferIndex,
    hasData: data !== undefined,
    isVariable: t.isVariable(),
    sparse,
    dataLength: data?.length ?? 0,
    ...(data ? { dataOffset: data.offset } : {}),
    ...(values ? { values } : {}),
  };
}
