// Hand-made .tflite files for reader tests: a few tensors and operators, with whatever defect a
// test needs (two writers, a cycle, recursive control flow, wrong data sizes). Built with flatc's
// generated builders, so everything but the defect is well-formed.
import { Builder, type Offset } from 'flatbuffers';
import { Buffer as FbBuffer } from '../generated/tflite/buffer.js';
import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { BuiltinOptions } from '../generated/tflite/builtin-options.js';
import { CallOptions } from '../generated/tflite/call-options.js';
import { Model } from '../generated/tflite/model.js';
import { OperatorCode } from '../generated/tflite/operator-code.js';
import { Operator } from '../generated/tflite/operator.js';
import { SubGraph } from '../generated/tflite/sub-graph.js';
import { Tensor } from '../generated/tflite/tensor.js';
import { TensorType } from '../generated/tflite/tensor-type.js';

export interface TinyTensor {
  readonly shape: number[];
  readonly type?: TensorType;
  /** Constant data (its own buffer). */
  readonly data?: Uint8Array;
  readonly signature?: number[];
  readonly variable?: boolean;
}

export interface TinyOp {
  readonly op: BuiltinOperator;
  readonly inputs: number[];
  readonly outputs: number[];
  /** A CALL's subgraph index (CallOptions). */
  readonly call?: number;
}

export interface TinySubgraph {
  readonly tensors: TinyTensor[];
  readonly ops: TinyOp[];
  readonly inputs: number[];
  readonly outputs: number[];
}

function tensor(b: Builder, t: TinyTensor, buffer: number): Offset {
  const shape = Tensor.createShapeVector(b, t.shape);
  const signature = t.signature ? Tensor.createShapeSignatureVector(b, t.signature) : 0;
  Tensor.startTensor(b);
  Tensor.addShape(b, shape);
  Tensor.addType(b, t.type ?? TensorType.INT8);
  Tensor.addBuffer(b, buffer);
  if (signature) Tensor.addShapeSignature(b, signature);
  if (t.variable) Tensor.addIsVariable(b, true);
  return Tensor.endTensor(b);
}

function operator(b: Builder, o: TinyOp, opcodeIndex: number): Offset {
  const inputs = Operator.createInputsVector(b, o.inputs);
  const outputs = Operator.createOutputsVector(b, o.outputs);
  const options = o.call !== undefined ? CallOptions.createCallOptions(b, o.call) : 0;
  Operator.startOperator(b);
  Operator.addOpcodeIndex(b, opcodeIndex);
  Operator.addInputs(b, inputs);
  Operator.addOutputs(b, outputs);
  if (options) {
    Operator.addBuiltinOptionsType(b, BuiltinOptions.CallOptions);
    Operator.addBuiltinOptions(b, options);
  }
  return Operator.endOperator(b);
}

/** A schema-3 model with the given subgraphs; every constant gets a buffer of its own. */
export function tinyModel(subgraphs: TinySubgraph[]): Uint8Array {
  const b = new Builder(1024);
  const codes = [...new Set(subgraphs.flatMap((s) => s.ops.map((o) => o.op)))];
  const buffers: Offset[] = [FbBuffer.createBuffer(b, 0, 0n, 0n)];
  const sgs = subgraphs.map((s) => {
    const tensors = s.tensors.map((t) => {
      if (!t.data) return tensor(b, t, 0);
      b.startVector(1, t.data.length, 16);
      for (let i = t.data.length - 1; i >= 0; i--) b.addInt8(t.data[i]!);
      const data = b.endVector();
      buffers.push(FbBuffer.createBuffer(b, data, 0n, 0n));
      return tensor(b, t, buffers.length - 1);
    });
    const ops = s.ops.map((o) => operator(b, o, codes.indexOf(o.op)));
    return SubGraph.createSubGraph(
      b,
      SubGraph.createTensorsVector(b, tensors),
      SubGraph.createInputsVector(b, s.inputs),
      SubGraph.createOutputsVector(b, s.outputs),
      SubGraph.createOperatorsVector(b, ops),
      0,
      0,
    );
  });
  const opcodes = codes.map((c) => OperatorCode.createOperatorCode(b, Math.min(c, 127), 0, 1, c));
  const [opcodeVector, subgraphVector, bufferVector] = [Model.createOperatorCodesVector(b, opcodes), Model.createSubgraphsVector(b, sgs), Model.createBuffersVector(b, buffers)];
  Model.startModel(b);
  Model.addVersion(b, 3);
  Model.addOperatorCodes(b, opcodeVector);
  Model.addSubgraphs(b, subgraphVector);
  Model.addBuffers(b, bufferVector);
  b.finish(Model.endModel(b), 'TFL3');
  return b.asUint8Array().slice();
}

/** x → ADD(x, x) → y: the smallest valid model. */
export function addModel(): TinySubgraph {
  return { tensors: [{ shape: [1, 4] }, { shape: [1, 4] }], ops: [{ op: BuiltinOperator.ADD, inputs: [0, 0], outputs: [1] }], inputs: [0], outputs: [1] };
}
