import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';

/**
 * Random small conv/dense models and data for the "never silently wrong" property: weights and
 * biases over many magnitudes, dead ReLUs, all-zero channels, and inputs that are constant, all
 * zero, huge or tiny. Arrays come from a seeded generator so a failing case shrinks to its spec.
 */

export type Act = 'linear' | 'relu' | 'relu6-layer' | 'relu-layer';

export interface ConvSpec {
  readonly kind: 'conv';
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: 'same' | 'valid';
  readonly act: Act;
  readonly pool: boolean;
}

export interface DenseSpec {
  readonly kind: 'dense';
  readonly units: number;
  readonly act: Act | 'softmax';
}

export interface WeightStyle {
  /** Typical |weight|. */
  readonly scale: number;
  /** Typical |bias|; negative `deadBias` pushes every pre-activation below zero. */
  readonly biasScale: number;
  readonly deadBias: boolean;
  /** Zero the weights of every other output channel. */
  readonly zeroChannels: boolean;
}

export interface InputStyle {
  /** Values are drawn from [lo, hi]; lo === hi is a constant input (0 for all-zero). */
  readonly lo: number;
  readonly hi: number;
  /** Give quantizeModel a fixed inputRange (only when lo < hi) instead of tracking it. */
  readonly fixedRange: boolean;
}

export interface CaseSpec {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly convs: readonly ConvSpec[];
  readonly dense: readonly DenseSpec[];
  readonly weights: readonly WeightStyle[];
  readonly input: InputStyle;
  readonly seed: number;
  /** One training step with model.fit (else calibrate only). */
  readonly fit: boolean;
  readonly io: 'float32' | 'int8';
}

const magnitude = fc.constantFrom(0, 1e-6, 1e-3, 0.05, 0.5, 3, 50, 1e3, 1e5);
const act = fc.constantFrom<Act>('linear', 'relu', 'relu6-layer', 'relu-layer');

const conv: fc.Arbitrary<ConvSpec> = fc.record({
  kind: fc.constant('conv' as const),
  filters: fc.integer({ min: 1, max: 4 }),
  kernel: fc.integer({ min: 1, max: 3 }),
  stride: fc.integer({ min: 1, max: 2 }),
  padding: fc.constantFrom('same' as const, 'valid' as const),
  act,
  pool: fc.boolean(),
});

const dense: fc.Arbitrary<DenseSpec> = fc.record({
  kind: fc.constant('dense' as const),
  units: fc.integer({ min: 1, max: 6 }),
  act: fc.oneof(act, fc.constant('softmax' as const)),
});

const weights: fc.Arbitrary<WeightStyle> = fc.record({
  scale: fc.constantFrom(0, 1e-5, 1e-2, 0.3, 2, 100),
  biasScale: magnitude,
  deadBias: fc.boolean(),
  zeroChannels: fc.boolean(),
});

const input: fc.Arbitrary<InputStyle> = fc
  .record({ a: magnitude, b: magnitude, signed: fc.boolean(), constant: fc.boolean(), fixedRange: fc.boolean() })
  .map(({ a, b, signed, constant, fixedRange }) => {
    const lo = signed ? -a : 0;
    const hi = constant ? lo : Math.max(lo, b);
    return { lo, hi, fixedRange: fixedRange && lo < hi };
  });

export const caseSpec: fc.Arbitrary<CaseSpec> = fc
  .record({
    height: fc.integer({ min: 3, max: 8 }),
    width: fc.integer({ min: 3, max: 8 }),
    channels: fc.integer({ min: 1, max: 3 }),
    convs: fc.array(conv, { minLength: 0, maxLength: 2 }),
    dense: fc.array(dense, { minLength: 1, maxLength: 2 }),
    weights: fc.array(weights, { minLength: 4, maxLength: 4 }),
    input,
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    fit: fc.boolean(),
    io: fc.constantFrom('float32' as const, 'int8' as const),
  });

/** A small deterministic generator (LCG) for the arrays of one case. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function activationLayers(a: Act | 'softmax', name: string): tf.layers.Layer[] {
  if (a === 'relu-layer') return [tf.layers.reLU({ name: `${name}_relu` })];
  if (a === 'relu6-layer') return [tf.layers.reLU({ maxValue: 6, name: `${name}_relu6` })];
  return [];
}

/** Builds the model of a case, with its random weights set. */
export function buildModel(spec: CaseSpec): tf.Sequential {
  const layers: tf.layers.Layer[] = [];
  let h = spec.height;
  let w = spec.width;
  spec.convs.forEach((c, i) => {
    const out = (n: number) => (c.padding === 'same' ? Math.ceil(n / c.stride) : Math.floor((n - c.kernel) / c.stride) + 1);
    if (out(h) < 1 || out(w) < 1) return; // too small for this window: skip the layer
    const name = `conv${i}`;
    layers.push(
      tf.layers.conv2d({
        ...(layers.length === 0 ? { inputShape: [spec.height, spec.width, spec.channels] } : {}),
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.stride,
        padding: c.padding,
        activation: c.act === 'relu' ? 'relu' : 'linear',
        name,
      }),
      ...activationLayers(c.act, name),
    );
    h = out(h);
    w = out(w);
    if (c.pool && h >= 2 && w >= 2) {
      layers.push(tf.layers.maxPooling2d({ poolSize: 2, name: `pool${i}` }));
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
  });
  layers.push(tf.layers.flatten({ ...(layers.length === 0 ? { inputShape: [spec.height, spec.width, spec.channels] } : {}), name: 'flat' }));
  spec.dense.forEach((d, i) => {
    const name = `dense${i}`;
    layers.push(tf.layers.dense({ units: d.units, activation: d.act === 'relu' || d.act === 'softmax' ? d.act : 'linear', name }), ...activationLayers(d.act, name));
  });
  const model = tf.sequential({ layers });
  setRandomWeights(model, spec);
  return model;
}

function setRandomWeights(model: tf.Sequential, spec: CaseSpec): void {
  const next = rng(spec.seed);
  let k = 0;
  for (const layer of model.layers) {
    const current = layer.getWeights();
    if (current.length !== 2) continue;
    const style = spec.weights[k++ % spec.weights.length]!;
    const [kernel, bias] = current as [tf.Tensor, tf.Tensor];
    const outC = bias.shape[0]!;
    const kv = Float32Array.from({ length: kernel.size }, (_, i) => (style.zeroChannels && (i % outC) % 2 === 1 ? 0 : (next() * 2 - 1) * style.scale));
    const bv = Float32Array.from({ length: outC }, () => (style.deadBias ? -(0.5 + next()) * Math.max(style.biasScale, 1) : (next() * 2 - 1) * style.biasScale));
    layer.setWeights([tf.tensor(kv, kernel.shape), tf.tensor(bv, bias.shape)]);
  }
}

/** `n` input samples of the case's style, as one [n, h, w, c] tensor. */
export function inputData(spec: CaseSpec, n: number, salt: number): tf.Tensor4D {
  const next = rng(spec.seed ^ salt);
  const { lo, hi } = spec.input;
  const size = n * spec.height * spec.width * spec.channels;
  const data = Float32Array.from({ length: size }, () => lo + (hi - lo) * next());
  return tf.tensor4d(data, [n, spec.height, spec.width, spec.channels]);
}
