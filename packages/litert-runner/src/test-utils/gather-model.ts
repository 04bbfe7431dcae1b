// A one-op model, out = GATHER(params, indices), written field by field with the flatbuffers
// builder (field ids from the TFLite schema.fbs). Its point: TFLite's GATHER fails at
// invoke time on an out-of-range index ("gather index out of bounds"), which LiteRT.js
// does not report, so it exercises the runner's run-time failure path on the real runtime.
// Both operands are model inputs, float32 params [PARAMS] and int32 indices [1].
import * as flatbuffers from 'flatbuffers';

export const PARAMS = 4;

const TENSOR_FLOAT32 = 0;
const TENSOR_INT32 = 2;
const BUILTIN_GATHER = 36;

export function gatherModel(): Uint8Array {
  const b = new flatbuffers.Builder(512);
  const int32s = (values: number[]) => {
    b.startVector(4, values.length, 4);
    for (const v of [...values].reverse()) b.addInt32(v);
    return b.endVector();
  };
  const offsets = (values: number[]) => {
    b.startVector(4, values.length, 4);
    for (const v of [...values].reverse()) b.addOffset(v);
    return b.endVector();
  };
  const tensor = (name: string, shape: number[], type: number) => {
    const nameAt = b.createString(name);
    const shapeAt = int32s(shape);
    b.startObject(4); // Tensor: shape 0, type 1, buffer 2, name 3
    b.addFieldOffset(0, shapeAt, 0);
    b.addFieldInt8(1, type, -1);
    b.addFieldInt32(2, 0, -1); // buffer 0: the empty sentinel every model has
    b.addFieldOffset(3, nameAt, 0);
    return b.endObject();
  };

  const tensors = offsets([
    tensor('params', [PARAMS], TENSOR_FLOAT32),
    tensor('indices', [1], TENSOR_INT32),
    tensor('out', [1], TENSOR_FLOAT32),
  ]);
  const opInputs = int32s([0, 1]);
  const opOutputs = int32s([2]);
  b.startObject(3); // Operator: opcode_index 0, inputs 1, outputs 2
  b.addFieldInt32(0, 0, -1);
  b.addFieldOffset(1, opInputs, 0);
  b.addFieldOffset(2, opOutputs, 0);
  const operators = offsets([b.endObject()]);

  const graphInputs = int32s([0, 1]);
  const graphOutputs = int32s([2]);
  b.startObject(4); // SubGraph: tensors 0, inputs 1, outputs 2, operators 3
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, graphInputs, 0);
  b.addFieldOffset(2, graphOutputs, 0);
  b.addFieldOffset(3, operators, 0);
  const subgraphs = offsets([b.endObject()]);

  b.startObject(4); // OperatorCode: deprecated_builtin_code 0, version 2, builtin_code 3
  b.addFieldInt8(0, BUILTIN_GATHER, -1);
  b.addFieldInt32(2, 1, -1);
  b.addFieldInt32(3, BUILTIN_GATHER, -1);
  const codes = offsets([b.endObject()]);
  b.startObject(1); // Buffer, empty
  const buffers = offsets([b.endObject()]);

  b.startObject(5); // Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4
  b.addFieldInt32(0, 3, -1);
  b.addFieldOffset(1, codes, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, buffers, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}
