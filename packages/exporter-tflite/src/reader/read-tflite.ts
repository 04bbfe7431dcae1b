import { QatkitError } from '@qatkit/core';
import { ByteBuffer } from 'flatbuffers';
import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { Model } from '../generated/tflite/model.js';
import type { Operator } from '../generated/tflite/operator.js';
import type { OperatorCode } from '../generated/tflite/operator-code.js';
import type { SubGraph } from '../generated/tflite/sub-graph.js';
import { checkDataflow } from './check-dataflow.js';
import { withNarrowBits } from './read-bits.js';
import { readBuiltinOptions } from './read-options.js';
import { malformed, readTensor, spend, type Budget } from './read-tensors.js';
import type { TfliteOperatorSummary, TfliteOptionValue, TfliteSubgraphSummary, TfliteSummary } from './summary.js';
import { verifyModel } from './verify-model.js';

export type {
  TfliteOptionValue,
  TfliteQuantizationSummary,
  TfliteTensorSummary,
  TfliteOperatorSummary,
  TfliteSubgraphSummary,
  TfliteSummary,
} from './summary.js';

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

/** The operator's builtin options table, decoded with bounds checks (field 4 of Operator; its type is field 3). */
function optionsOf(op: Operator, view: DataView, budget: Budget): { optionsType?: string; options: Record<string, TfliteOptionValue> } {
  const unionType = op.builtinOptionsType();
  const rel = op.bb!.__offset(op.bb_pos, 12);
  if (unionType === 0 || rel === 0) return { options: {} };
  const at = op.bb_pos + rel;
  return readBuiltinOptions(view, unionType, at + view.getUint32(at, true), budget);
}

function readOperator(sg: SubGraph, i: number, model: Model, view: DataView, tensorCount: number, budget: Budget): TfliteOperatorSummary {
  const op = sg.operators(i)!;
  const index = op.opcodeIndex();
  const opcodeCount = model.operatorCodesLength();
  if (index >= opcodeCount) malformed(`operator ${i} uses opcode ${index}, but there are ${opcodeCount}`);
  const code = model.operatorCodes(index)!;
  const inputs = indices(op.inputsArray(), tensorCount, true, `operator ${i} input`);
  const outputs = indices(op.outputsArray(), tensorCount, false, `operator ${i} output`);
  const intermediates = indices(op.intermediatesArray(), tensorCount, false, `operator ${i} intermediate`);
  spend(budget, 1 + inputs.length + outputs.length + intermediates.length);
  const customCode = code.customCode();
  const { optionsType, options } = optionsOf(op, view, budget);
  return {
    opcode: opcodeName(code),
    version: code.version(),
    ...(customCode !== null ? { customCode } : {}),
    inputs,
    outputs,
    intermediates,
    ...(optionsType !== undefined ? { optionsType } : {}),
    options,
    customOptionsLength: op.customOptionsLength(),
  };
}

function readSubgraph(sg: SubGraph, model: Model, bytes: Uint8Array, view: DataView, budget: Budget): TfliteSubgraphSummary {
  const tensorCount = sg.tensorsLength();
  const tensors = [];
  for (let i = 0; i < tensorCount; i++) tensors.push(readTensor(sg, i, model, bytes, view, budget));
  const operators: TfliteOperatorSummary[] = [];
  for (let i = 0; i < sg.operatorsLength(); i++) operators.push(readOperator(sg, i, model, view, tensorCount, budget));
  return {
    name: sg.name() ?? '',
    inputs: indices(sg.inputsArray(), tensorCount, false, 'subgraph input'),
    outputs: indices(sg.outputsArray(), tensorCount, false, 'subgraph output'),
    tensors,
    operators,
  };
}

/**
 * Reads a .tflite file (schema 3, any converter): every subgraph's tensors (shape, shape signature,
 * type, per-tensor or per-axis quantization, constant data position and small constant values) and
 * operators (builtin or custom, version, inputs, outputs, intermediates, decoded builtin options).
 * Malformed input (wrong identifier, truncation, out-of-range offsets or indices, negative
 * dimensions, data sizes that do not match the shape, dataflow cycles, recursive control flow)
 * raises QatkitError('MALFORMED_MODEL'); nothing is read before the structure is verified, and the
 * work is bounded by the file's size.
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
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const budget = { left: bytes.length };
  const subgraphs: TfliteSubgraphSummary[] = [];
  for (let i = 0; i < model.subgraphsLength(); i++) subgraphs.push(readSubgraph(model.subgraphs(i)!, model, bytes, view, budget));
  checkDataflow(subgraphs);
  return { version: model.version(), description: model.description() ?? '', subgraphs: withNarrowBits(model, subgraphs), buffers: model.buffersLength() };
}
