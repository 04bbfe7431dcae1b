import { QatkitError } from '@qatkit/core';
import { ByteBuffer } from 'flatbuffers';
import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { Model } from '../generated/tflite/model.js';
import type { OperatorCode } from '../generated/tflite/operator-code.js';
import type { SubGraph } from '../generated/tflite/sub-graph.js';
import { TensorType } from '../generated/tflite/tensor-type.js';
import { verifyModel } from './verify-model.js';

export interface TfliteQuantizationSummary {
  readonly scale: number[];
  readonly zeroPoint: number[];
  readonly quantizedDimension: number;
}

export interface TfliteTensorSummary {
  readonly name: string;
  readonly shape: number[];
  /** TensorType name, e.g. 'INT8', 'FLOAT32'. */
  readonly type: string;
  /** Present when the tensor has at least one scale. */
  readonly quantization?: TfliteQuantizationSummary;
  readonly buffer: number;
  /** The tensor's buffer holds constant data (inline, or by offset for >2 GB files). */
  readonly hasData: boolean;
}

export interface TfliteOperatorSummary {
  /** BuiltinOperator name, e.g. 'CONV_2D'; 'CUSTOM' for custom ops. */
  readonly opcode: string;
  readonly version: number;
  readonly customCode?: string;
  /** Tensor indices; -1 marks an omitted optional input. */
  readonly inputs: number[];
  readonly outputs: number[];
}

export interface TfliteSubgraphSummary {
  readonly name: string;
  readonly inputs: number[];
  readonly outputs: number[];
  readonly tensors: TfliteTensorSummary[];
  readonly operators: TfliteOperatorSummary[];
}

export interface TfliteSummary {
  readonly version: number;
  readonly description: string;
  readonly subgraphs: TfliteSubgraphSummary[];
  /** Number of entries in the model's buffer table (including the empty buffer 0). */
  readonly buffers: number;
}

function malformed(message: string): never {
  throw new QatkitError('MALFORMED_MODEL', `not a valid TFLite model: ${message}`);
}

/** Converters before schema 3a left `builtin_code` at 0 and wrote the code in the int8 field. */
function opcodeName(code: OperatorCode): string {
  const builtin = Math.max(code.deprecatedBuiltinCode(), code.builtinCode());
  return BuiltinOperator[builtin] ?? `UNKNOWN_${builtin}`;
}

function indices(values: Int32Array | null, limit: number, allowOmitted: boolean, what: string): number[] {
  const out = Array.from(values ?? []);
  for (const v of out) {
    if (v >= limit || v < (allowOmitted ? -1 : 0)) malformed(`${what} refers to tensor ${v}, but there are ${limit}`);
  }
  return out;
}

/**
 * Walks a verified model. `budget` caps the number of elements summarised: a valid file
 * stores every tensor, operator and shape entry separately, so it can never exceed its byte
 * count, while a hostile file could alias one large subgraph many times over.
 */
function readSubgraph(sg: SubGraph, model: Model, budget: { left: number }): TfliteSubgraphSummary {
  const spend = (n: number): void => {
    budget.left -= n;
    if (budget.left < 0) malformed('structures are aliased beyond the size of the file');
  };
  const tensorCount = sg.tensorsLength();
  const buffers = model.buffersLength();
  const tensors: TfliteTensorSummary[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const t = sg.tensors(i)!;
    const shape = Array.from(t.shapeArray() ?? []);
    spend(1 + shape.length);
    const bufferIndex = t.buffer();
    if (bufferIndex >= buffers) malformed(`tensor ${i} uses buffer ${bufferIndex}, but there are ${buffers}`);
    const q = t.quantization();
    const scaleCount = q?.scaleLength() ?? 0;
    let quantization: TfliteQuantizationSummary | undefined;
    if (q && scaleCount > 0) {
      spend(scaleCount + q.zeroPointLength());
      const zeroPoint: number[] = [];
      for (let k = 0; k < q.zeroPointLength(); k++) zeroPoint.push(Number(q.zeroPoint(k)!));
      quantization = { scale: Array.from(q.scaleArray()!), zeroPoint, quantizedDimension: q.quantizedDimension() };
    }
    const buffer = bufferIndex > 0 ? model.buffers(bufferIndex)! : null;
    const hasData = buffer !== null && (buffer.dataLength() > 0 || buffer.size() > 0n);
    tensors.push({
      name: t.name() ?? '',
      shape,
      type: TensorType[t.type()] ?? `UNKNOWN_${t.type()}`,
      ...(quantization ? { quantization } : {}),
      buffer: bufferIndex,
      hasData,
    });
  }
  const opcodeCount = model.operatorCodesLength();
  const operators: TfliteOperatorSummary[] = [];
  for (let i = 0; i < sg.operatorsLength(); i++) {
    const op = sg.operators(i)!;
    const index = op.opcodeIndex();
    if (index >= opcodeCount) malformed(`operator ${i} uses opcode ${index}, but there are ${opcodeCount}`);
    const code = model.operatorCodes(index)!;
    const inputs = indices(op.inputsArray(), tensorCount, true, `operator ${i} input`);
    const outputs = indices(op.outputsArray(), tensorCount, false, `operator ${i} output`);
    spend(1 + inputs.length + outputs.length);
    const customCode = code.customCode();
    operators.push({ opcode: opcodeName(code), version: code.version(), ...(customCode !== null ? { customCode } : {}), inputs, outputs });
  }
  return {
    name: sg.name() ?? '',
    inputs: indices(sg.inputsArray(), tensorCount, false, 'subgraph input'),
    outputs: indices(sg.outputsArray(), tensorCount, false, 'subgraph output'),
    tensors,
    operators,
  };
}

/**
 * Summarises a .tflite file: tensors, quantization and operators of every subgraph.
 * Malformed input (wrong identifier, truncation, out-of-range offsets or indices) raises
 * QatkitError('MALFORMED_MODEL'); nothing is read before the structure is verified.
 */
export function readTflite(bytes: Uint8Array): TfliteSummary {
  if (!(bytes instanceof Uint8Array)) {
    throw new QatkitError('MALFORMED_MODEL', `readTflite expects the file's bytes as a Uint8Array (or a Node Buffer), got ${bytes === null ? 'null' : typeof bytes}`);
  }
  verifyModel(bytes);
  // Typed-array views over vectors need the file itself to start 8-byte aligned. A fresh copy:
  // Node's Buffer#slice would return a view at the same (unaligned) offset.
  if (bytes.byteOffset % 8 !== 0) bytes = new Uint8Array(bytes);
  try {
    return summarise(bytes);
  } catch (error) {
    if (error instanceof QatkitError) throw error;
    throw new QatkitError('MALFORMED_MODEL', `not a valid TFLite model: ${String(error)}`, { cause: error });
  }
}

function summarise(bytes: Uint8Array): TfliteSummary {
  const model = Model.getRootAsModel(new ByteBuffer(bytes));
  const budget = { left: bytes.length };
  const subgraphs: TfliteSubgraphSummary[] = [];
  for (let i = 0; i < model.subgraphsLength(); i++) subgraphs.push(readSubgraph(model.subgraphs(i)!, model, budget));
  return { version: model.version(), description: model.description() ?? '', subgraphs, buffers: model.buffersLength() };
}
