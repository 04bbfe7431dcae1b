import { describe, expect, it } from 'vitest';
import { default8bit } from './default-8bit.js';

const layer = (className: string, config: Record<string, unknown> = {}) => ({ className, name: 'l', config });

describe('default8bit', () => {
  const scheme = default8bit();
  it('covers the conv-net layers', () => {
    expect([...scheme.registry.supportedLayers()].sort()).toEqual(
      [
        'Activation', 'Add', 'AlphaDropout', 'AveragePooling2D', 'BatchNormalization', 'Concatenate', 'Conv2D', 'Cropping2D', 'Dense', 'DepthwiseConv2D',
        'Dropout', 'ELU', 'Flatten', 'GaussianDropout', 'GaussianNoise', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'InputLayer', 'LeakyReLU',
        'MaxPooling2D', 'Maximum', 'Minimum', 'Multiply', 'Permute', 'ReLU', 'Reshape', 'Softmax', 'SpatialDropout1D', 'SpatialDropout2D',
        'UpSampling2D', 'ZeroPadding2D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv1D', 'PReLU', 'Average', 'RepeatVector', 'Rescaling',
      ].sort(),
    );
  });
  it('quantizes depthwise kernels per output channel and fixes sigmoid/tanh outputs', () => {
    const dw = scheme.registry.lookup(layer('DepthwiseConv2D', { dataFormat: 'channelsLast' }))!;
    expect(dw.weights['depthwiseKernel']!.perAxis).toBe(true);
    expect(scheme.registry.lookup(layer('Activation', { activation: 'sigmoid' }))!.output).toMatchObject({ kind: 'fixed', scale: 1 / 256, zeroPoint: -128 });
    expect(scheme.registry.lookup(layer('Activation', { activation: 'tanh' }))!.output).toMatchObject({ kind: 'fixed', scale: 1 / 128, zeroPoint: 0 });
    expect(scheme.registry.lookup(layer('Activation', { activation: 'selu' }))).toBeUndefined();
  });
  it('quantizes conv kernels per channel and dense kernels per tensor, int8 narrow symmetric', () => {
    const conv = scheme.registry.lookup(layer('Conv2D', { dataFormat: 'channelsLast' }))!;
    expect(conv.weights['kernel']).toEqual({ quantizer: { bits: 8, symmetric: true, narrowRange: true, signed: true }, perAxis: true });
    const dense = scheme.registry.lookup(layer('Dense'))!;
    expect(dense.weights['kernel']!.perAxis).toBe(false);
    expect(default8bit({ perAxis: false }).registry.lookup(layer('Conv2D', { dataFormat: 'channelsLast' }))!.weights['kernel']!.perAxis).toBe(false);
  });
  it('fixes softmax output at (1/256, -128) and makes pooling reuse its input range', () => {
    expect(scheme.registry.lookup(layer('Softmax', { axis: -1 }))!.output).toMatchObject({ kind: 'fixed', scale: 1 / 256, zeroPoint: -128 });
    expect(scheme.registry.lookup(layer('MaxPooling2D', { dataFormat: 'channelsLast' }))!.output.kind).toBe('same-as-input');
  });
  it('does not claim channels-first convs, ReLU with other caps, or softmax over other axes', () => {
    expect(scheme.registry.lookup(layer('Conv2D', { dataFormat: 'channelsFirst' }))).toBeUndefined();
    expect(scheme.registry.lookup(layer('ReLU', { maxValue: 3 }))).toBeUndefined();
    expect(scheme.registry.lookup(layer('Softmax', { axis: 1 }))).toBeUndefined();
  });
  it('takes user rows that override the table', () => {
    const s = default8bit({ rows: [{ layer: 'Dropout', spec: { op: 'Identity', weights: {}, output: { kind: 'identity' } }, source: 'mine' }] });
    expect(s.registry.explain(layer('Dropout'))?.source).toBe('mine');
  });
  it('lowers SeparableConv2D with both kernels per channel, Conv1D without causal padding, swish but not hardSigmoid', () => {
    const sep = scheme.registry.lookup(layer('SeparableConv2D', { dataFormat: 'channelsLast' }))!;
    expect(Object.keys(sep.weights)).toEqual(['depthwiseKernel', 'pointwiseKernel']);
    expect(sep.weights['pointwiseKernel']!.perAxis).toBe(true);
    expect(scheme.registry.lookup(layer('Conv1D', { padding: 'causal' }))).toBeUndefined();
    expect(scheme.registry.lookup(layer('PReLU'))!.weights['alpha']).toEqual({ quantizer: { bits: 8, symmetric: false, narrowRange: false, signed: true }, perAxis: false });
    expect(scheme.registry.lookup(layer('Activation', { activation: 'swish' }))!.op).toBe('Mul');
    expect(scheme.registry.lookup(layer('Activation', { activation: 'hardSigmoid' }))).toBeUndefined();
  });
  it('validates options', () => {
    expect(() => default8bit({ emaDecay: 1 })).toThrow(/emaDecay/);
  });
});
