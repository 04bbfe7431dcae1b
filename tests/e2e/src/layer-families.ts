import * as tf from '@tensorflow/tfjs';

/**
 * Layer families lowered to several TFLite ops (or to one with a constant operand), and dilated
 * convolutions trained through the atrous identity: cases for layers.test.ts, which runs each one
 * through QAT (a fit step) → int8 TFLite → LiteRT and through the float export.
 */

const L = tf.layers;
type Sym = tf.SymbolicTensor;
export type Body = (x: Sym) => Sym;
export type Family = [string, number[], Body, boolean?];

/** Applies `layer` to `x` and gives its weights seeded random values (a fresh BatchNorm or PReLU is an identity or a ReLU). */
function randomized(layer: tf.layers.Layer, x: Sym, seed: number, positive: readonly number[] = []): Sym {
  const y = layer.apply(x) as Sym;
  layer.setWeights(layer.getWeights().map((w, k) => (positive.includes(k) ? tf.randomUniform(w.shape, 0.5, 2, 'float32', seed + k) : tf.randomUniform(w.shape, -0.8, 0.8, 'float32', seed + k))));
  return y;
}

const img: number[] = [8, 8, 3];
const conv = (filters: number, x: Sym) => L.conv2d({ filters, kernelSize: 1 }).apply(x) as Sym;

export const MORE_FAMILIES: Family[] = [
  ['SeparableConv2D depth multiplier 2 + BatchNorm + ReLU', img, (x) => L.reLU().apply(L.batchNormalization().apply(L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(x) as Sym) as Sym) as Sym],
  ['SeparableConv2D stride 2, valid, relu6, no bias', img, (x) => L.separableConv2d({ filters: 5, kernelSize: 3, strides: 2, activation: 'relu6', useBias: false }).apply(x) as Sym],
  ['Conv2DTranspose stride 2 same (relu) and stride 1 valid', [4, 4, 3], (x) => L.conv2dTranspose({ filters: 3, kernelSize: 3 }).apply(L.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(x) as Sym) as Sym],
  ['Conv1D valid (relu) and same stride 2 + BatchNorm', [12, 3], (x) => L.batchNormalization().apply(L.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(L.conv1d({ filters: 5, kernelSize: 3, activation: 'relu' }).apply(x) as Sym) as Sym) as Sym],
  ['Conv1D with a sigmoid activation and dilation 2', [12, 3], (x) => L.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, activation: 'sigmoid' }).apply(x) as Sym],
  ['Standalone BatchNormalization (input and after Add)', img, (x) => {
    const a = randomized(L.batchNormalization(), x, 10, [0, 3]);
    const s = L.add().apply([conv(3, a), conv(3, a)]) as Sym;
    return randomized(L.batchNormalization(), s, 20, [0, 3]);
  }],
  ['PReLU per channel and shared over space', img, (x) => randomized(L.prelu({ sharedAxes: [1, 2] }), randomized(L.prelu({}), conv(3, x), 30), 40)],
  ['Activation swish and Conv2D with a swish activation', img, (x) => L.activation({ activation: 'swish' }).apply(L.conv2d({ filters: 3, kernelSize: 3, activation: 'swish' }).apply(x) as Sym) as Sym],
  ['Average of three branches', img, (x) => L.average().apply([conv(2, x), conv(2, x), conv(2, x)]) as Sym],
  ['RepeatVector', [6], (x) => L.repeatVector({ n: 3 }).apply(L.dense({ units: 5 }).apply(x) as Sym) as Sym],
  ['Rescaling (scale and offset)', img, (x) => conv(3, L.rescaling({ scale: 2, offset: -1 }).apply(x) as Sym)],
  // The depthwise half of a SeparableConv2D: tfjs's own DepthwiseConv2D layer ignores its dilationRate (qatkit refuses it).
  ['Dilated Conv2D (valid, rate 2×3) and SeparableConv2D (same, rate 2), trained', [12, 12, 3], (x) => L.separableConv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same' }).apply(L.conv2d({ filters: 4, kernelSize: 3, dilationRate: [2, 3], activation: 'relu' }).apply(x) as Sym) as Sym],
];
