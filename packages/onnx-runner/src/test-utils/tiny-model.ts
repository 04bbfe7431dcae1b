import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** y = x + x for a [1, n] tensor of `type` (an ONNX TensorProto.DataType), opset 14 (Add on 8-bit integers): the smallest model a runner test needs. */
export function doubling(type: number, n = 4): Uint8Array {
  const info = (name: string) => ({ name, type: { tensorType: { elemType: type, shape: { dim: [{ dimValue: 1 }, { dimValue: n }] } } } });
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 14 }],
      graph: { name: 'double', node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'] }], input: [info('x')], output: [info('y')] },
    }),
  ).finish();
}

export const ONNX_TYPE = onnx.TensorProto.DataType;
