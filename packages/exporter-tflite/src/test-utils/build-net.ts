import {
  GraphBuilder,
  activationQuantization,
  dequantize,
  fakeQuantize,
  fixedQuantization,
  quantize,
  quantizeBias,
  weightQuantization,
  type FusedActivation,
  type Graph,
  type Padding,
  type Quantization,
  type QuantizerSpec,
} from '@qatkit/core';
import { activate, conv2d, fullyConnected, pool2d, softmax, type FloatTensor } from './float-ops.js';

export type Layer =
  | { kind: 'conv'; filters: number; kernel: [number, number]; strides?: [number, number]; dilations?: [number, number]; padding?: Padding; activation?: FusedActivation }
  | { kind: 'depthwise'; multiplier: number; kernel: [number, number]; strides?: [number, number]; padding?: Padding; activation?: FusedActivation }
  | { kind: 'maxpool' | 'avgpool'; size: [number, number]; strides: [number, number]; padding?: Padding }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation?: FusedActivation; perChannel?: boolean }
  | { kind: 'softmax' }
  | { kind: 'relu' | 'relu6' };

const ACT: QuantizerSpec = { bits: 8, symmetric: false, narrowRange: false, signed: true };
const WEIGHT: QuantizerSpec = { bits: 8, symmetric: true, narrowRange: true, signed: true };

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

function channelRanges(values: Float32Array, shape: readonly number[], axis: number | undefined): { mins: number[]; maxs: number[] } {
  const dim = axis === undefined ? 1 : shape[axis]!;
  const inner = axis === undefined ? values.length : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const mins = new Array<number>(dim).fill(Infinity);
  const maxs = new Array<number>(dim).fill(-Infinity);
  values.forEach((v, i) => {
    const c = Math.floor(i / inner) % dim;
    mins[c] = Math.min(mins[c]!, v);
    maxs[c] = Math.max(maxs[c]!, v);
  });
  return { mins, maxs };
}

interface Current {
  name: string;
  shape: number[];
  q: Quantization;
  /** Real values of the calibration samples at this tensor (already on its grid). */
  samples: FloatTensor[];
}

export interface Net {
  readonly graph: Graph;
  /** Float calibration inputs; also good test inputs. */
  readonly samples: Float32Array[];
}

/**
 * Builds a quantized IR graph from a layer list with random weights: per-channel int8 weights,
 * int32 biases, and activation ranges calibrated on random inputs in [-1, 1].
 */
export function buildNet(name: string, inputShape: number[], layers: readonly Layer[], seed = 1, sampleCount = 8): Net {
  const random = rng(seed);
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const b = new GraphBuilder(name);
  const inputs = Array.from({ length: sampleCount }, () => uniform(size(inputShape), 1));
  const inQ = activationQuantization(-1, 1, ACT, 'input');
  let cur: Current = {
    name: b.addTensor({ name: 'input', shape: inputShape, dtype: 'int8', quantization: inQ }),
    shape: inputShape,
    q: inQ,
    samples: inputs.map((data) => ({ data: fakeQuantize(data, inputShape, inQ), shape: inputShape })),
  };
  b.setInputs([cur.name]);

  /** Adds the output tensor, calibrated on `outs` unless its quantization is fixed. */
  const next = (label: string, outs: FloatTensor[], fixed?: Quantization): Current => {
    const shape = [...outs[0]!.shape];
    let q = fixed;
    if (!q) {
      const all = outs.flatMap((o) => Array.from(o.data));
      q = activationQuantization(Math.min(...all), Math.max(...all), ACT, label);
    }
    const tensorName = b.addTensor({ name: label, shape, dtype: 'int8', quantization: q });
    return { name: tensorName, shape, q, samples: outs.map((o) => ({ data: fakeQuantize(o.data, shape, q), shape })) };
  };

  /** Random weights quantized per channel (axis) or per tensor, plus an int32 bias. */
  const params = (label: string, shape: number[], axis: number | undefined, fanIn: number, outC: number) => {
    const w = uniform(size(shape), Math.sqrt(3 / fanIn));
    const { mins, maxs } = channelRanges(w, shape, axis);
    const wq = weightQuantization(mins, maxs, WEIGHT, axis, `${label}/weights`);
    const wData = quantize(w, shape, wq);
    const bias = quantizeBias(uniform(outC, 0.1), cur.q.scale[0]!, wq.scale);
    const weights = b.addTensor({ name: `${label}/weights`, shape, dtype: 'int8', data: wData, quantization: wq });
    const biasName = b.addTensor({ name: `${label}/bias`, shape: [outC], dtype: 'int32', data: bias.data, quantization: bias.quantization });
    const real = { data: dequantize(wData, shape, wq), shape };
    return { weights, biasName, real, realBias: dequantize(bias.data, [outC], bias.quantization) };
  };

  layers.forEach((layer, i) => {
    const label = `${layer.kind}_${i}`;
    const input = cur.name;
    switch (layer.kind) {
      case 'conv':
      case 'depthwise': {
        const inC = cur.shape[3]!;
        const [kh, kw] = layer.kernel;
        const outC = layer.kind === 'conv' ? layer.filters : inC * layer.multiplier;
        const shape = layer.kind === 'conv' ? [outC, kh, kw, inC] : [1, kh, kw, outC];
        const p = params(label, shape, layer.kind === 'conv' ? 0 : 3, kh * kw * (layer.kind === 'conv' ? inC : 1), outC);
        const strides: [number, number] = [...(layer.strides ?? [1, 1])];
        const dilations: [number, number] = layer.kind === 'conv' ? [...(layer.dilations ?? [1, 1])] : [1, 1];
        const padding = layer.padding ?? 'same';
        const activation = layer.activation ?? 'none';
        const depthMultiplier = layer.kind === 'depthwise' ? layer.multiplier : undefined;
        const conv = { strides, dilations, padding, ...(depthMultiplier ? { depthMultiplier } : {}) };
        const outs = cur.samples.map((x) => activate(conv2d(x, p.real, p.realBias, conv), activation));
        cur = next(label, outs);
        const ins = [input, p.weights, p.biasName];
        if (depthMultiplier) b.addOp('DepthwiseConv2D', label, ins, [cur.name], { strides, dilations, padding, depthMultiplier, activation });
        else b.addOp('Conv2D', label, ins, [cur.name], { strides, dilations, padding, activation });
        return;
      }
      case 'dense': {
        const inN = cur.shape[cur.shape.length - 1]!;
        const p = params(label, [layer.units, inN], layer.perChannel ? 0 : undefined, inN, layer.units);
        const activation = layer.activation ?? 'none';
        const outs = cur.samples.map((x) => activate(fullyConnected(x, p.real, p.realBias), activation));
        cur = next(label, outs);
        b.addOp('FullyConnected', label, [input, p.weights, p.biasName], [cur.name], { activation });
        return;
      }
      case 'maxpool':
      case 'avgpool': {
        const padding = layer.padding ?? 'valid';
        const outs = cur.samples.map((x) => pool2d(x, layer.kind === 'maxpool' ? 'max' : 'average', layer.size, layer.strides, padding));
        cur = next(label, outs, cur.q);
        const attrs = { poolSize: layer.size, strides: layer.strides, padding, activation: 'none' as const };
        b.addOp(layer.kind === 'maxpool' ? 'MaxPool2D' : 'AveragePool2D', label, [input], [cur.name], attrs);
        return;
      }
      case 'flatten': {
        const shape = [cur.shape[0]!, size(cur.shape.slice(1))];
        cur = next(label, cur.samples.map((x) => ({ data: x.data, shape })), cur.q);
        b.addOp('Reshape', label, [input], [cur.name], { shape: [shape[0]!, -1] });
        return;
      }
      case 'softmax':
        cur = next(label, cur.samples.map((x) => softmax(x, 1)), fixedQuantization(1 / 256, -128, ACT));
        b.addOp('Softmax', label, [input], [cur.name], { beta: 1 });
        return;
      case 'relu':
      case 'relu6':
        cur = next(label, cur.samples.map((x) => activate(x, layer.kind)));
        b.addOp(layer.kind === 'relu' ? 'Relu' : 'Relu6', label, [input], [cur.name], {});
    }
  });
  b.setOutputs([cur.name]);
  return { graph: b.build(), samples: inputs };
}

/** The brief's example: Conv2D+ReLU → MaxPool → Reshape → FullyConnected → Softmax. */
export function smallCnn(seed = 1): Net {
  return buildNet('small_cnn', [1, 8, 8, 3], [
    { kind: 'conv', filters: 4, kernel: [3, 3], activation: 'relu' },
    { kind: 'maxpool', size: [2, 2], strides: [2, 2] },
    { kind: 'flatten' },
    { kind: 'dense', units: 10 },
    { kind: 'softmax' },
  ], seed);
}

/** A net that uses every IR op kind the exporter supports (beyond the I/O ops). */
export function allOpsNet(seed = 1): Net {
  return buildNet('all_ops', [1, 9, 9, 2], [
    { kind: 'conv', filters: 3, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu6' },
    { kind: 'depthwise', multiplier: 2, kernel: [3, 3], padding: 'valid', activation: 'relu' },
    { kind: 'relu6' },
    { kind: 'avgpool', size: [2, 2], strides: [1, 1] },
    { kind: 'relu' },
    { kind: 'flatten' },
    { kind: 'dense', units: 5, perChannel: true },
    { kind: 'softmax' },
  ], seed);
}
