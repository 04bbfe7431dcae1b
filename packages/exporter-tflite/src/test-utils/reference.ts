import { dequantize, fakeQuantize, type Graph, type Op, type Tensor } from '@qatkit/core';
import { activate, conv2d, fullyConnected, pool2d, softmax, type FloatTensor } from './float-ops.js';

/** Real values of a tensor: constants dequantized, activations fake-quantized to their grid. */
function real(t: Tensor, values: Float32Array): Float32Array {
  if (!t.quantization || t.dtype === 'float32') return values;
  return fakeQuantize(values, t.shape, t.quantization);
}

function constant(t: Tensor): Float32Array {
  if (!t.data) throw new Error(`tensor ${t.name} is not constant`);
  return t.quantization ? dequantize(t.data, t.shape, t.quantization) : Float32Array.from(t.data);
}

function evalOp(op: Op, x: FloatTensor, graph: Graph): FloatTensor {
  const c = (i: number) => ({ data: constant(graph.tensors[op.inputs[i]!]!), shape: graph.tensors[op.inputs[i]!]!.shape });
  const bias = () => (op.inputs.length > 2 ? c(2).data : undefined);
  switch (op.kind) {
    case 'Conv2D':
      return activate(conv2d(x, c(1), bias(), op.attrs), op.attrs.activation);
    case 'DepthwiseConv2D':
      return activate(conv2d(x, c(1), bias(), op.attrs), op.attrs.activation);
    case 'FullyConnected':
      return activate(fullyConnected(x, c(1), bias()), op.attrs.activation);
    case 'MaxPool2D':
      return activate(pool2d(x, 'max', op.attrs.poolSize, op.attrs.strides, op.attrs.padding), op.attrs.activation);
    case 'AveragePool2D':
      return activate(pool2d(x, 'average', op.attrs.poolSize, op.attrs.strides, op.attrs.padding), op.attrs.activation);
    case 'Reshape':
      return { data: x.data, shape: graph.tensors[op.outputs[0]!]!.shape };
    case 'Softmax':
      return softmax(x, op.attrs.beta);
    case 'Relu':
      return activate(x, 'relu');
    case 'Relu6':
      return activate(x, 'relu6');
    case 'Quantize':
    case 'Dequantize':
      return x;
    default:
      throw new Error(`no reference for ${op.kind} yet`);
  }
}

/**
 * Runs an IR graph in floating point: dequantized weights, and every activation snapped to
 * its quantization grid (what QAT's fake-quant forward pass computes). An integer runtime should
 * agree within a step or two of each output's scale.
 */
export function runReference(graph: Graph, inputs: readonly Float32Array[]): Float32Array[] {
  const values = new Map<string, Float32Array>();
  graph.inputs.forEach((name, i) => values.set(name, real(graph.tensors[name]!, inputs[i]!)));
  for (const op of graph.ops) {
    const name = op.inputs[0]!;
    const x = { data: values.get(name)!, shape: graph.tensors[name]!.shape };
    const out = graph.tensors[op.outputs[0]!]!;
    values.set(out.name, real(out, evalOp(op, x, graph).data));
  }
  return graph.outputs.map((name) => values.get(name)!);
}
