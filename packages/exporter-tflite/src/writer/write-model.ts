import type { DType, Graph, Op, OpKind, Tensor, TensorData } from '@qatkit/core';
import { Builder, type Offset } from 'flatbuffers';
import { Buffer } from '../generated/tflite/buffer.js';
import type { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { Metadata } from '../generated/tflite/metadata.js';
import { Model } from '../generated/tflite/model.js';
import { Operator } from '../generated/tflite/operator.js';
import { OperatorCode } from '../generated/tflite/operator-code.js';
import { QuantizationParameters } from '../generated/tflite/quantization-parameters.js';
import { SubGraph } from '../generated/tflite/sub-graph.js';
import { Tensor as TfliteTensor } from '../generated/tflite/tensor.js';
import { TensorType } from '../generated/tflite/tensor-type.js';
import { BITS_METADATA, bitsPayload, narrowTensors } from './bits-metadata.js';
import { ruleFor, type OpRule, type TensorSig } from './op-table.js';

/** TFLite schema version this writer follows. */
export const SCHEMA_VERSION = 3;
/** Constant data alignment: the schema's `force_align: 16`, which TFLite's verifier relies on. */
const DATA_ALIGNMENT = 16;

const TENSOR_TYPE: Readonly<Record<DType, TensorType>> = {
  float32: TensorType.FLOAT32,
  int8: TensorType.INT8,
  uint8: TensorType.UINT8,
  int16: TensorType.INT16,
  int32: TensorType.INT32,
};

/** Little-endian bytes of constant data, whatever the host's byte order. */
function littleEndianBytes(data: TensorData): Uint8Array {
  if (data instanceof Int8Array || data instanceof Uint8Array) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (data instanceof Float32Array) view.setFloat32(i * size, v, true);
    else if (data instanceof Int16Array) view.setInt16(i * size, v, true);
    else view.setInt32(i * size, v, true);
  }
  return out;
}

/** A byte vector whose first element lands on a 16-byte boundary of the finished file. */
function alignedDataVector(builder: Builder, bytes: Uint8Array): Offset {
  builder.startVector(1, bytes.length, DATA_ALIGNMENT);
  builder.pad(bytes.length);
  const bb = builder.dataBuffer();
  bb.bytes().set(bytes, bb.capacity() - builder.offset());
  return builder.endVector();
}

interface LoweredOp {
  readonly builtin: BuiltinOperator;
  readonly version: number;
  readonly op: Op;
  readonly rule: OpRule<OpKind>;
  readonly inputs: readonly string[];
}

/** IR ops with their TFLite operator, version and inputs in TFLite order (extra constants added). */
function lower(graph: Graph, tensors: Record<string, Tensor>): LoweredOp[] {
  return graph.ops.map((op) => {
    const rule = ruleFor(op.kind)!;
    const extra: string[] = [];
    for (const t of rule.extraInputs?.(op, graph) ?? []) {
      let name = t.name;
      for (let i = 1; name in tensors; i++) name = `${t.name}_${i}`;
      tensors[name] = { ...t, name };
      extra.push(name);
    }
    const inputs = rule.order ? rule.order(op.inputs, extra) : [...op.inputs, ...extra];
    const sig = (n: string): TensorSig => {
      const t = tensors[n]!;
      const scale = t.quantization?.scale.length === 1 ? t.quantization.scale[0] : undefined;
      return { dtype: t.dtype, shape: t.shape, ...(scale === undefined ? {} : { scale }) };
    };
    const version = rule.version({ inputs: inputs.map(sig), outputs: op.outputs.map(sig) }, op);
    return { builtin: rule.builtin, version, op, rule, inputs };
  });
}

function writeTensor(builder: Builder, t: Tensor, buffer: number): Offset {
  const name = builder.createString(t.name);
  const shape = TfliteTensor.createShapeVector(builder, [...t.shape]);
  let quantization = 0;
  if (t.quantization) {
    const q = t.quantization;
    const scale = QuantizationParameters.createScaleVector(builder, [...q.scale]);
    const zeroPoint = QuantizationParameters.createZeroPointVector(builder, q.zeroPoint.map((z) => BigInt(z)));
    QuantizationParameters.startQuantizationParameters(builder);
    QuantizationParameters.addScale(builder, scale);
    QuantizationParameters.addZeroPoint(builder, zeroPoint);
    QuantizationParameters.addQuantizedDimension(builder, q.axis ?? 0);
    quantization = QuantizationParameters.endQuantizationParameters(builder);
  }
  TfliteTensor.startTensor(builder);
  TfliteTensor.addShape(builder, shape);
  TfliteTensor.addType(builder, TENSOR_TYPE[t.dtype]);
  TfliteTensor.addBuffer(builder, buffer);
  TfliteTensor.addName(builder, name);
  if (quantization) TfliteTensor.addQuantization(builder, quantization);
  return TfliteTensor.endTensor(builder);
}

/**
 * Serialises a checked graph (see checkSupport) as a TFLite flatbuffer: one subgraph, buffer 0
 * the empty sentinel, one buffer per tensor (data only for constants), operator codes in first-use
 * order. Output depends only on the graph and the description, so equal inputs give equal bytes.
 */
export function writeModel(graph: Graph, description: string): Uint8Array {
  const tensors: Record<string, Tensor> = { ...graph.tensors };
  const ops = lower(graph, tensors);

  // Tensors in first-use order; unreferenced IR tensors are left out.
  const index = new Map<string, number>();
  const use = (name: string) => {
    if (!index.has(name)) index.set(name, index.size);
  };
  graph.inputs.forEach(use);
  for (const { inputs, op } of ops) [...inputs, ...op.outputs].forEach(use);
  graph.outputs.forEach(use);
  const order = [...index.keys()].map((n) => tensors[n]!);

  const builder = new Builder(1024);
  // Buffer i + 1 belongs to tensor i; buffer 0 is the schema's empty sentinel.
  const buffers: Offset[] = [];
  Buffer.startBuffer(builder);
  buffers.push(Buffer.endBuffer(builder));
  for (const t of order) {
    const data = t.data && t.data.length > 0 ? alignedDataVector(builder, littleEndianBytes(t.data)) : 0;
    Buffer.startBuffer(builder);
    if (data) Buffer.addData(builder, data);
    buffers.push(Buffer.endBuffer(builder));
  }
  // Narrow tensors (n-bit values in int8) name their true width; files without any stay as before.
  const narrow = narrowTensors(order);
  let metadata = 0;
  if (narrow.length) {
    const data = alignedDataVector(builder, bitsPayload(narrow));
    Buffer.startBuffer(builder);
    Buffer.addData(builder, data);
    buffers.push(Buffer.endBuffer(builder));
    const entry = Metadata.createMetadata(builder, builder.createString(BITS_METADATA), buffers.length - 1);
    metadata = Model.createMetadataVector(builder, [entry]);
  }
  const tensorOffsets = order.map((t, i) => writeTensor(builder, t, i + 1));

  const codes: { builtin: BuiltinOperator; version: number }[] = [];
  const opOffsets = ops.map(({ builtin, version, op, rule, inputs }) => {
    let opcode = codes.findIndex((c) => c.builtin === builtin && c.version === version);
    if (opcode < 0) opcode = codes.push({ builtin, version }) - 1;
    const options = rule.options?.(builder, op, { ...graph, tensors });
    const ins = Operator.createInputsVector(builder, inputs.map((n) => index.get(n)!));
    const outs = Operator.createOutputsVector(builder, op.outputs.map((n) => index.get(n)!));
    Operator.startOperator(builder);
    Operator.addOpcodeIndex(builder, opcode);
    Operator.addInputs(builder, ins);
    Operator.addOutputs(builder, outs);
    if (options) {
      Operator.addBuiltinOptionsType(builder, options.type);
      Operator.addBuiltinOptions(builder, options.offset);
    }
    return Operator.endOperator(builder);
  });

  const subgraph = SubGraph.createSubGraph(
    builder,
    SubGraph.createTensorsVector(builder, tensorOffsets),
    SubGraph.createInputsVector(builder, graph.inputs.map((n) => index.get(n)!)),
    SubGraph.createOutputsVector(builder, graph.outputs.map((n) => index.get(n)!)),
    SubGraph.createOperatorsVector(builder, opOffsets),
    builder.createString(graph.name),
    0,
  );
  // Codes above 127 do not fit the old int8 field; readers take the larger of the two.
  const codeOffsets = codes.map((c) => OperatorCode.createOperatorCode(builder, Math.min(c.builtin, 127), 0, c.version, c.builtin));
  const model = Model.createModel(
    builder,
    SCHEMA_VERSION,
    Model.createOperatorCodesVector(builder, codeOffsets),
    Model.createSubgraphsVector(builder, [subgraph]),
    builder.createString(description),
    Model.createBuffersVector(builder, buffers),
    0, metadata, 0, 0, 0,
  );
  Model.finishModelBuffer(builder, model);
  return builder.asUint8Array().slice();
}
