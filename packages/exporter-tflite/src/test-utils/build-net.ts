import type { FusedActivation, Padding } from '@qatkit/core';
import { NetBuilder, type Net } from './net-builder.js';

export { rng, NetBuilder, type Net } from './net-builder.js';

export type Layer =
  | { kind: 'conv'; filters: number; kernel: [number, number]; strides?: [number, number]; dilations?: [number, number]; padding?: Padding; activation?: FusedActivation }
  | { kind: 'depthwise'; multiplier: number; kernel: [number, number]; strides?: [number, number]; padding?: Padding; activation?: FusedActivation }
  | { kind: 'maxpool' | 'avgpool'; size: [number, number]; strides: [number, number]; padding?: Padding }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation?: FusedActivation; perChannel?: boolean }
  | { kind: 'softmax' }
  | { kind: 'relu' | 'relu6' };

/**
 * Builds a chain of layers with random weights: int8 per-channel weights (per tensor for dense
 * unless `perChannel`), int32 biases, activation ranges calibrated on random inputs in [-1, 1];
 * or the float graph of the same chain with `float: true`.
 */
export function buildNet(name: string, inputShape: number[], layers: readonly Layer[], seed = 1, sampleCount = 8, float = false): Net {
  const nb = new NetBuilder(name, float, seed, sampleCount);
  let cur = nb.input(inputShape);
  layers.forEach((layer, i) => {
    const label = `${layer.kind}_${i}`;
    const shape = nb.tensor(cur).shape;
    switch (layer.kind) {
      case 'conv':
      case 'depthwise': {
        const inC = shape[3]!;
        const [kh, kw] = layer.kernel;
        const conv = layer.kind === 'conv';
        const outC = conv ? layer.filters : inC * layer.multiplier;
        const w = nb.weights(label, conv ? [outC, kh, kw, inC] : [1, kh, kw, outC], conv ? 0 : 3, kh * kw * (conv ? inC : 1));
        const ins = [cur, w, nb.bias(label, outC, cur, w)];
        const base = { strides: layer.strides ?? [1, 1], padding: layer.padding ?? 'same', activation: layer.activation ?? 'none' } as const;
        cur = conv
          ? nb.op('Conv2D', label, ins, { ...base, strides: [...base.strides], dilations: [...(layer.dilations ?? [1, 1])] })
          : nb.op('DepthwiseConv2D', label, ins, { ...base, strides: [...base.strides], dilations: [1, 1], depthMultiplier: layer.multiplier });
        return;
      }
      case 'dense': {
        const inN = shape[shape.length - 1]!;
        const w = nb.weights(label, [layer.units, inN], layer.perChannel ? 0 : undefined, inN);
        cur = nb.op('FullyConnected', label, [cur, w, nb.bias(label, layer.units, cur, w)], { activation: layer.activation ?? 'none' });
        return;
      }
      case 'maxpool':
      case 'avgpool': {
        const attrs = { poolSize: layer.size, strides: layer.strides, padding: layer.padding ?? 'valid', activation: 'none' as const };
        cur = nb.op(layer.kind === 'maxpool' ? 'MaxPool2D' : 'AveragePool2D', label, [cur], attrs);
        return;
      }
      case 'flatten': {
        const flat = [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
        cur = nb.op('Reshape', label, [cur], { shape: [shape[0]!, -1] }, { shape: flat });
        return;
      }
      case 'softmax':
        cur = nb.op('Softmax', label, [cur], { beta: 1 });
        return;
      case 'relu':
      case 'relu6':
        cur = nb.op(layer.kind === 'relu' ? 'Relu' : 'Relu6', label, [cur], {});
    }
  });
  return nb.build([cur]);
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

/** A chain of the classic conv-net op kinds (the newer kinds have their own nets in the LiteRT tests). */
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
