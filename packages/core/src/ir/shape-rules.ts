import { QatkitError } from '../errors.js';
import type { Graph, Op, Padding } from './types.js';

/**
 * The output shape each op kind computes from its inputs and attributes (NHWC activations, OHWI
 * conv weights, [1, kh, kw, C×m] depthwise weights, [out, in] fully-connected weights). Every
 * exporter writes the IR's stated output shapes into the file; a runtime that infers something
 * else fails to prepare, or worse, reads memory of the wrong size. So a graph whose stated shapes
 * disagree with these rules is invalid.
 */

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

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
  const shape = (i: number): readonly number[] => graph.tensors[op.inputs[i]!]!.shape;
  const fail = (msg: string): never => {
    throw new QatkitError('INVALID_SHAPE', `op "${op.name}" (${op.kind}): ${msg}`);
  };
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
    case 'FullyConnected': {
      const w = shape(1);
      if (w.length !== 2) fail(`weights must be [out, in], got ${fmt(w)}`);
      const n = size(shape(0));
      if (w[1]! < 1 || n % w[1]! !== 0) fail(`input ${fmt(shape(0))} cannot be read as rows of ${w[1]} features`);
      return [n / w[1]!, w[0]!];
    }
    case 'MaxPool2D':
    case 'AveragePool2D': {
      const window = positivePair(op, 'poolSize', op.attrs.poolSize);
      return windowed(op, shape(0), window, shape(0)[3]!);
    }
    case 'Reshape': {
      const out = graph.tensors[op.outputs[0]!]!.shape;
      if (size(out) !== size(shape(0))) fail(`input ${fmt(shape(0))} and output ${fmt(out)} differ in size`);
      return [...out];
    }
    case 'Softmax':
    case 'Relu':
    case 'Relu6':
    case 'Quantize':
    case 'Dequantize':
      return [...shape(0)];
    default:
      return undefined;
  }
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
