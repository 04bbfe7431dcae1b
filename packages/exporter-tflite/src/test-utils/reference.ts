import { dequantize, fakeQuantize, type Graph, type Op, type Tensor } from '@qatkit/core';
import { activate, conv2d, fullyConnected, pool2d, softmax, type FloatTensor } from './float-ops.js';
import { resizeBilinear, resizeNearest, transposeConv2d } from './float-ops-resize.js';
import { binary, concat, elu, hardSwish, logistic, pad, reduce, slice, transpose, unary } from './float-ops-tensor.js';

/** Real values of a tensor: activations fake-quantized to their grid, float tensors as they are. */
export function snap(t: Tensor, values: Float32Array): Float32Array {
  if (!t.quantization || t.dtype === 'float32') return values;
  return fakeQuantize(values, t.shape, t.quantization);
}

/** A constant's real values (dequantized when it is quantized). */
export function constantValues(t: Tensor): FloatTensor {
  if (!t.data) throw new Error(`tensor ${t.name} is not constant`);
  const data = t.quantization && t.dtype !== 'float32' ? dequantize(t.data, t.shape, t.quantization) : Float32Array.from(t.data);
  return { data, shape: t.shape };
}

/**
 * One op in floating point, on its inputs' real values. `outShape` is the output tensor's shape
 * (resize, reshape and transposed convolution read their size from it). Fused activations included.
 */
export function evalOp(op: Op, inputs: readonly FloatTensor[], outShape: readonly number[]): FloatTensor {
  const [x, y, b] = inputs as [FloatTensor, FloatTensor | undefined, FloatTensor | undefined];
  const two = (f: (p: number, q: number) => number) => binary(x, y!, f);
  switch (op.kind) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
      return activate(conv2d(x, y!, b?.data, op.attrs), op.attrs.activation);
    case 'TransposeConv2D':
      return activate(transposeConv2d(x, y!, b?.data, op.attrs.strides, op.attrs.padding, outShape), op.attrs.activation);
    case 'FullyConnected': {
      const out = activate(fullyConnected(x, y!, b?.data), op.attrs.activation);
      return op.attrs.keepNumDims ? { data: out.data, shape: [...x.shape.slice(0, -1), y!.shape[0]!] } : out;
    }
    case 'MaxPool2D':
      return activate(pool2d(x, 'max', op.attrs.poolSize, op.attrs.strides, op.attrs.padding), op.attrs.activation);
    case 'AveragePool2D':
      return activate(pool2d(x, 'average', op.attrs.poolSize, op.attrs.strides, op.attrs.padding), op.attrs.activation);
    case 'Reshape':
      return { data: x.data, shape: outShape };
    case 'Softmax':
      return softmax(x, op.attrs.beta);
    case 'Relu':
      return activate(x, 'relu');
    case 'Relu6':
      return activate(x, 'relu6');
    case 'Add':
      return activate(two((p, q) => p + q), op.attrs.activation);
    case 'Sub':
      return activate(two((p, q) => p - q), op.attrs.activation);
    case 'Mul':
      return activate(two((p, q) => p * q), op.attrs.activation);
    case 'Maximum':
      return two(Math.max);
    case 'Minimum':
      return two(Math.min);
    case 'Prelu':
      return two((v, alpha) => (v < 0 ? alpha * v : v));
    case 'Concatenation':
      return activate(concat(inputs, op.attrs.axis), op.attrs.activation);
    case 'Mean':
      return reduce(x, op.attrs.axes, op.attrs.keepDims, 'mean');
    case 'ReduceMax':
      return reduce(x, op.attrs.axes, op.attrs.keepDims, 'max');
    case 'Pad':
      return pad(x, op.attrs.paddings);
    case 'Slice':
      return slice(x, op.attrs.begin, op.attrs.size);
    case 'ResizeNearestNeighbor':
      return resizeNearest(x, outShape[1]!, outShape[2]!, op.attrs);
    case 'ResizeBilinear':
      return resizeBilinear(x, outShape[1]!, outShape[2]!, op.attrs);
    case 'Transpose':
      return transpose(x, op.attrs.perm);
    case 'Logistic':
      return unary(x, logistic);
    case 'Tanh':
      return unary(x, Math.tanh);
    case 'LeakyRelu':
      return unary(x, (v) => (v < 0 ? op.attrs.alpha * v : v));
    case 'Elu':
      return unary(x, elu);
    case 'HardSwish':
      return unary(x, hardSwish);
    case 'Quantize':
    case 'Dequantize':
      return x;
  }
}

/**
 * Runs an IR graph in floating point: dequantized constants, and every activation snapped to
 * its quantization grid (what QAT's fake-quant forward pass computes). An integer runtime should
 * agree within a step of each output's scale; a float graph is computed as it is.
 * `inputs[i]` feeds graph input i.
 */
export function runReference(graph: Graph, inputs: readonly Float32Array[]): Float32Array[] {
  const values = new Map<string, FloatTensor>();
  graph.inputs.forEach((name, i) => {
    const t = graph.tensors[name]!;
    values.set(name, { data: snap(t, inputs[i]!), shape: t.shape });
  });
  const valueOf = (name: string): FloatTensor => values.get(name) ?? constantValues(graph.tensors[name]!);
  for (const op of graph.ops) {
    const out = graph.tensors[op.outputs[0]!]!;
    const result = evalOp(op, op.inputs.map(valueOf), out.shape);
    values.set(out.name, { data: snap(out, result.data), shape: out.shape });
  }
  return graph.outputs.map((name) => values.get(name)!.data);
}
