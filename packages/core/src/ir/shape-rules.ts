import { QatkitError } from '../errors.js';
import { broadcast, concatenate, fmt, pad, reduce, resize, shapeError, slice, transpose } from './shape-rules-tensor.js';
import type { Graph, Op, OpKind, Padding } from './types.js';

/**
 * The output shape each op kind computes from its inputs and attributes (NHWC activations, OHWI
 * conv weights, [1, kh, kw, C×m] depthwise weights, [out, in] fully-connected weights). Every
 * exporter writes the IR's stated output shapes into the file; a runtime that infers something
 * else fails to prepare, or worse, reads memory of the wrong size. So a graph whose stated shapes
 * disagree with these rules is invalid.
 */

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** How many inputs each kind reads: [fewest, most]. Weighted ops take an optional bias. */
const ARITY: Readonly<Record<OpKind, readonly [number, number]>> = {
  Conv2D: [2, 3], DepthwiseConv2D: [2, 3], TransposeConv2D: [2, 3], FullyConnected: [2, 3],
  Add: [2, 2], Sub: [2, 2], Mul: [2, 2], Maximum: [2, 2], Minimum: [2, 2], Prelu: [2, 2],
  Concatenation: [1, Infinity],
  MaxPool2D: [1, 1], AveragePool2D: [1, 1], Reshape: [1, 1], Softmax: [1, 1], Relu: [1, 1], Relu6: [1, 1],
  Mean: [1, 1], ReduceMax: [1, 1], Pad: [1, 1], Slice: [1, 1], ResizeNearestNeighbor: [1, 1], ResizeBilinear: [1, 1],
  Transpose: [1, 1], Logistic: [1, 1], Tanh: [1, 1], LeakyRelu: [1, 1], Elu: [1, 1], HardSwish: [1, 1],
  Quantize: [1, 1], Dequantize: [1, 1],
};

/** Spatial output length of a windowed op (TFLite's ComputeOutSize). */
export function windowOutput(length: number, window: number, stride: number, dilation: number, padding: Padding): number {
  const effective = (window - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(length / stride) : Math.max(0, Math.floor((length - effective + stride) / stride));
}

function positivePair(op: Op, what: string, pair: unknown): [number, number] {
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new QatkitError('INVALID_GRAPH', `op "${op.name}" (${op.kind}): ${what} must be two positive integers, got ${JSON.stringify(pair)}`);
  }
  return pair as [number, number];
}

function windowed(op: Op, input: readonly number[], window: [number, number], outC: number): number[] {
  const a = op.attrs as { strides: unknown; dilations?: unknown; padding: unknown };
  const strides = positivePair(op, 'strides', a.strides);
  const dilations = a.dilations === undefined ? ([1, 1] as [number, number]) : positivePair(op, 'dilations', a.dilations);
  if (a.padding !== 'same' && a.padding !== 'valid') {
    throw new QatkitError('INVALID_GRAPH', `op "${op.name}" (${op.kind}): padding must be "same" or "valid", got ${JSON.stringify(a.padding)}`);
  }
  if (input.length !== 4) throw new QatkitError('INVALID_SHAPE', `op "${op.name}" (${op.kind}): input must be rank 4 (NHWC), got ${fmt(input)}`);
  const h = windowOutput(input[1]!, window[0], strides[0], dilations[0], a.padding);
  const w = windowOutput(input[2]!, window[1], strides[1], dilations[1], a.padding);
  if (h < 1 || w < 1) {
    throw new QatkitError('INVALID_SHAPE', `op "${op.name}" (${op.kind}): a ${window.join('×')} window does not fit the input ${fmt(input)} with "${a.padding}" padding`);
  }
  return [input[0]!, h, w, outC];
}

/**
 * The output shape `op` must have, or undefined for kinds this version of core does not know
 * (a plugin's own op). Throws when the inputs themselves cannot be combined.
 */
export function inferOutputShape(op: Op, graph: Graph): number[] | undefined {
  if (!Object.hasOwn(ARITY, op.kind)) return undefined;
  const [fewest, most] = ARITY[op.kind];
  if (op.inputs.length < fewest || op.inputs.length > most) {
    const want = most === Infinity ? `at least ${fewest}` : fewest === most ? `${fewest}` : `${fewest} or ${most}`;
    throw new QatkitError('INVALID_GRAPH', `op "${op.name}" (${op.kind}) has ${op.inputs.length} inputs; it takes ${want}`);
  }
  const shape = (i: number): readonly number[] => graph.tensors[op.inputs[i]!]!.shape;
  const out = graph.tensors[op.outputs[0]!]!.shape;
  const fail = (msg: string): never => shapeError(op, msg);
  switch (op.kind) {
    case 'Conv2D': {
      const w = shape(1);
      if (w.length !== 4) fail(`weights must be rank 4 (OHWI), got ${fmt(w)}`);
      if (shape(0)[3] !== w[3]) fail(`input has ${shape(0)[3]} channels but the weights expect ${w[3]}`);
      return windowed(op, shape(0), [w[1]!, w[2]!], w[0]!);
    }
    case 'DepthwiseConv2D': {
      const w = shape(1);
      if (w.length !== 4 || w[0] !== 1) fail(`weights must be [1, kh, kw, channels × multiplier], got ${fmt(w)}`);
      const m = op.attrs.depthMultiplier;
      if (!Number.isInteger(m) || m < 1 || shape(0)[3]! * m !== w[3]) fail(`input channels ${shape(0)[3]} × depth multiplier ${m} must equal the weights' ${w[3]}`);
      return windowed(op, shape(0), [w[1]!, w[2]!], w[3]!);
    }
    case 'TransposeConv2D':
      return transposeConv(op, shape(0), shape(1), out);
    case 'FullyConnected': {
      const w = shape(1);
      const x = shape(0);
      if (w.length !== 2) fail(`weights must be [out, in], got ${fmt(w)}`);
      if (op.attrs.keepNumDims) {
        if (x[x.length - 1] !== w[1]) fail(`with keepNumDims the input's last dimension must be the weights' ${w[1]} features, got ${fmt(x)}`);
        return [...x.slice(0, -1), w[0]!];
      }
      const n = size(x);
      if (w[1]! < 1 || n % w[1]! !== 0) fail(`input ${fmt(x)} cannot be read as rows of ${w[1]} features`);
      return [n / w[1]!, w[0]!];
    }
    case 'MaxPool2D':
    case 'AveragePool2D': {
      const window = positivePair(op, 'poolSize', op.attrs.poolSize);
      return windowed(op, shape(0), window, shape(0)[3]!);
    }
    case 'Reshape':
      if (size(out) !== size(shape(0))) fail(`input ${fmt(shape(0))} and output ${fmt(out)} differ in size`);
      return [...out];
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Maximum':
    case 'Minimum':
    case 'Prelu':
      return broadcast(op, shape(0), shape(1));
    case 'Concatenation':
      return concatenate(op, op.inputs.map((_, i) => shape(i)), op.attrs.axis);
    case 'Mean':
    case 'ReduceMax':
      return reduce(op, shape(0), op.attrs);
    case 'Pad':
      return pad(op, shape(0), op.attrs.paddings);
    case 'Slice':
      return slice(op, shape(0), op.attrs);
    case 'ResizeNearestNeighbor':
    case 'ResizeBilinear':
      return resize(op, shape(0), out, op.attrs);
    case 'Transpose':
      return transpose(op, shape(0), op.attrs.perm);
    case 'Softmax':
    case 'Relu':
    case 'Relu6':
    case 'Logistic':
    case 'Tanh':
    case 'LeakyRelu':
    case 'Elu':
    case 'HardSwish':
    case 'Quantize':
    case 'Dequantize':
      return [...shape(0)];
  }
}

/**
 * The output size is the output tensor's (Keras' output_padding can choose among several); it
 * must be one that a forward convolution with the same window, strides and padding maps back
 * onto the input, which is how TFLite's TRANSPOSE_CONV derives its padding.
 */
function transposeConv(op: Op, x: readonly number[], w: readonly number[], out: readonly number[]): number[] {
  const fail = (msg: string): never => shapeError(op, msg);
  if (w.length !== 4) fail(`weights must be rank 4 (OHWI), got ${fmt(w)}`);
  if (x.length !== 4) fail(`input must be rank 4 (NHWC), got ${fmt(x)}`);
  if (x[3] !== w[3]) fail(`input has ${x[3]} channels but the weights expect ${w[3]}`);
  if (out.length !== 4 || out[0] !== x[0] || out[3] !== w[0]) fail(`output must be [${x[0]}, height, width, ${w[0]}] (batch of the input, channels of the weights), got ${fmt(out)}`);
  const a = op.attrs as { strides: unknown; padding: unknown };
  const strides = positivePair(op, 'strides', a.strides);
  if (a.padding !== 'same' && a.padding !== 'valid') {
    throw new QatkitError('INVALID_GRAPH', `op "${op.name}" (${op.kind}): padding must be "same" or "valid", got ${JSON.stringify(a.padding)}`);
  }
  const h = windowOutput(out[1]!, w[1]!, strides[0], 1, a.padding);
  const wd = windowOutput(out[2]!, w[2]!, strides[1], 1, a.padding);
  if (h !== x[1] || wd !== x[2]) {
    fail(
      `a ${w[1]}×${w[2]} convolution with strides ${strides.join('×')} and "${a.padding}" padding maps the output ${fmt(out)} to ${h}×${wd}, ` +
        `not to the input's ${x[1]}×${x[2]}`,
    );
  }
  return [...out];
}

/** Checks that every op's output has the shape its inputs and attributes give. */
export function checkShapes(graph: Graph): void {
  for (const op of graph.ops) {
    const want = inferOutputShape(op, graph);
    if (!want) continue;
    const got = graph.tensors[op.outputs[0]!]!.shape;
    if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
      throw new QatkitError('INVALID_SHAPE', `op "${op.name}" (${op.kind}) computes shape ${fmt(want)} but its output "${op.outputs[0]}" says ${fmt(got)}`);
    }
  }
}
