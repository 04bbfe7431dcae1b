import {
  GraphBuilder,
  activationQuantization,
  fixedQuantization,
  quantize,
  quantizeBias,
  weightQuantization,
  type Graph,
  type Op,
  type OpAttrs,
  type OpKind,
  type Quantization,
  type QuantizerSpec,
  type Tensor,
} from '@qatkit/core';
import type { FloatTensor } from './float-ops.js';
import { constantValues, evalOp, snap } from './reference.js';

export const ACT: QuantizerSpec = { bits: 8, symmetric: false, narrowRange: false, signed: true };
const WEIGHT: QuantizerSpec = { bits: 8, symmetric: true, narrowRange: true, signed: true };

/** Output parameters the int8 kernels fix (§D of the TFLite spec). */
const FIXED: Partial<Record<OpKind, Quantization>> = {
  Softmax: fixedQuantization(1 / 256, -128, ACT),
  Logistic: fixedQuantization(1 / 256, -128, ACT),
  Tanh: fixedQuantization(1 / 128, 0, ACT),
};
/** Ops whose int8 output shares input 0's parameters. */
const SAME_SCALE = new Set<OpKind>([
  'MaxPool2D', 'AveragePool2D', 'Reshape', 'Concatenation', 'Pad', 'Slice', 'ResizeNearestNeighbor', 'ResizeBilinear', 'Transpose',
  'Maximum', 'Minimum', 'ReduceMax',
]);

/** mulberry32: small seeded PRNG so every test graph is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function ranges(values: Float32Array, shape: readonly number[], axis: number | undefined): { mins: number[]; maxs: number[] } {
  const dim = axis === undefined ? 1 : shape[axis]!;
  const inner = axis === undefined ? values.length : size(shape.slice(axis + 1));
  const mins = new Array<number>(dim).fill(Infinity);
  const maxs = new Array<number>(dim).fill(-Infinity);
  values.forEach((v, i) => {
    const c = Math.floor(i / inner) % dim;
    mins[c] = Math.min(mins[c]!, v);
    maxs[c] = Math.max(maxs[c]!, v);
  });
  return { mins, maxs };
}

export interface Net {
  readonly graph: Graph;
  /** Float inputs for the graph's single input; calibration samples and test inputs. */
  readonly samples: Float32Array[];
}

export interface OpOptions {
  /** Output parameters: calibrated on the samples by default; 'same' copies input 0's. */
  readonly output?: 'same' | Quantization;
  /** The output shape, for ops that take it from their output tensor (resize, transposed conv). */
  readonly shape?: readonly number[];
}

/**
 * Builds an IR graph op by op with one graph input: int8 (per-channel weights, int32 biases,
 * activation ranges calibrated on random samples) or float (`float: true`, no quantization). Every
 * op's output values on the samples come from the float reference, snapped to the output's grid.
 */
export class NetBuilder {
  private readonly b: GraphBuilder;
  private readonly random: () => number;
  private readonly values = new Map<string, FloatTensor[]>();
  private samples: Float32Array[] = [];

  /**
   * `float` decides the form of what is added next; flipping it between a Quantize and a
   * Dequantize builds a partly quantized graph.
   */
  constructor(name: string, public float = false, seed = 1, private readonly sampleCount = 8) {
    this.b = new GraphBuilder(name);
    this.random = rng(seed);
  }

  uniform(n: number, scale = 1, offset = 0): Float32Array {
    return Float32Array.from({ length: n }, () => offset + (this.random() * 2 - 1) * scale);
  }

  tensor(name: string): Tensor {
    return this.b.tensor(name);
  }

  /** The graph input, sampled uniformly in [lo, hi]. */
  input(shape: number[], [lo, hi]: [number, number] = [-1, 1]): string {
    const q = this.float ? undefined : activationQuantization(lo, hi, ACT, 'input');
    const name = this.b.addTensor({ name: 'input', shape, dtype: this.float ? 'float32' : 'int8', ...(q ? { quantization: q } : {}) });
    this.samples = Array.from({ length: this.sampleCount }, () => this.uniform(size(shape), (hi - lo) / 2, (hi + lo) / 2));
    this.values.set(name, this.samples.map((s) => ({ data: snap(this.tensor(name), s), shape })));
    this.b.setInputs([name]);
    return name;
  }

  /**
   * A constant operand (Add's second input, PReLU's alpha): int8 with its own per-tensor range
   * (or the given parameters), or float.
   */
  constant(label: string, values: Float32Array, shape: number[], quantization?: Quantization): string {
    if (this.float) return this.b.addTensor({ name: label, shape, dtype: 'float32', data: values });
    const { mins, maxs } = ranges(values, shape, undefined);
    const q = quantization ?? activationQuantization(mins[0]!, maxs[0]!, ACT, label);
    return this.b.addTensor({ name: label, shape, dtype: 'int8', data: quantize(values, shape, q), quantization: q });
  }

  /** Random weights (fan-in scaled), int8 symmetric per `axis` (or per tensor), or float. */
  weights(label: string, shape: number[], axis: number | undefined, fanIn: number): string {
    const w = this.uniform(size(shape), Math.sqrt(3 / fanIn));
    if (this.float) return this.b.addTensor({ name: `${label}/weights`, shape, dtype: 'float32', data: w });
    const { mins, maxs } = ranges(w, shape, axis);
    const q = weightQuantization(mins, maxs, WEIGHT, axis, `${label}/weights`);
    return this.b.addTensor({ name: `${label}/weights`, shape, dtype: 'int8', data: quantize(w, shape, q), quantization: q });
  }

  /** A random bias for `outC` channels: int32 at input scale × weight scale, or float. */
  bias(label: string, outC: number, input: string, weights: string): string {
    const real = this.uniform(outC, 0.1);
    if (this.float) return this.b.addTensor({ name: `${label}/bias`, shape: [outC], dtype: 'float32', data: real });
    const q = quantizeBias(real, this.tensor(input).quantization!.scale[0]!, this.tensor(weights).quantization!.scale);
    return this.b.addTensor({ name: `${label}/bias`, shape: [outC], dtype: 'int32', data: q.data, quantization: q.quantization });
  }

  /** Adds an op and its output tensor; returns the output's name. */
  op<K extends OpKind>(kind: K, label: string, inputs: readonly string[], attrs: OpAttrs[K], options: OpOptions = {}): string {
    const op = { kind, name: label, inputs, outputs: [label], attrs } as unknown as Op;
    const real = (name: string, i: number) => this.values.get(name)?.[i] ?? constantValues(this.tensor(name));
    const outs = this.samples.map((_, i) => evalOp(op, inputs.map((n) => real(n, i)), options.shape ?? []));
    const shape = [...outs[0]!.shape];
    // QUANTIZE always writes an integer tensor, DEQUANTIZE a float one.
    const floatOut = kind === 'Dequantize' || (this.float && kind !== 'Quantize');
    let q: Quantization | undefined;
    if (!floatOut) {
      const same = options.output === 'same' || (options.output === undefined && SAME_SCALE.has(kind));
      if (same) q = this.tensor(inputs[0]!).quantization;
      else if (options.output) q = options.output;
      else if (FIXED[kind]) q = FIXED[kind];
      else {
        const all = outs.flatMap((o) => Array.from(o.data));
        q = activationQuantization(Math.min(...all), Math.max(...all), ACT, label);
      }
    }
    const name = this.b.addTensor({ name: label, shape, dtype: floatOut ? 'float32' : 'int8', ...(q ? { quantization: q } : {}) });
    this.values.set(name, outs.map((o) => ({ data: snap(this.tensor(name), o.data), shape })));
    this.b.addOp(kind, label, inputs, [name], attrs);
    return name;
  }

  build(outputs: readonly string[]): Net {
    this.b.setOutputs(outputs);
    return { graph: this.b.build(), samples: this.samples };
  }
}
