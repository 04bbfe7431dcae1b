import { describe, expect, it } from 'vitest';
import { isQatkitError } from '@qatkit/core';
import { default8bit } from '@qatkit/scheme-8bit';
import { nbit } from './nbit.js';

const layer = (className: string, name = 'l', config: Record<string, unknown> = {}) => ({ className, name, config });
const conv = (name = 'c') => layer('Conv2D', name, { dataFormat: 'channelsLast' });

describe('nbit', () => {
  it('is default8bit with n-bit quantizers: weights symmetric narrow, activations asymmetric', () => {
    const s = nbit({ weightBits: 4, activationBits: 6 });
    const spec = s.registry.lookup(conv())!;
    expect(spec.weights['kernel']).toEqual({ quantizer: { bits: 4, symmetric: true, narrowRange: true, signed: true }, perAxis: true });
    expect(spec.output).toEqual({ kind: 'learned', quantizer: { bits: 6, symmetric: false, narrowRange: false, signed: true } });
    expect(s.name).toBe('nbit-w4a6');
    expect([...s.registry.supportedLayers()].sort()).toEqual([...default8bit().registry.supportedLayers()].sort());
  });

  it('gives exactly the default 8-bit rules at 8 bits', () => {
    const s = nbit();
    const d = default8bit();
    for (const l of [conv(), layer('Dense'), layer('Softmax', 'sm', { axis: -1 }), layer('Add'), layer('PReLU'), layer('SeparableConv2D', 's', { dataFormat: 'channelsLast' })]) {
      expect(s.registry.lookup(l)).toEqual(d.registry.lookup(l));
    }
    expect(s.fusions).toBe(d.fusions);
    expect(s.input).toEqual(d.input);
  });

  it('keeps fixed outputs, the model input and constant operands at 8 bits', () => {
    const s = nbit({ weightBits: 2, activationBits: 3 });
    expect(s.registry.lookup(layer('Softmax', 'sm', { axis: -1 }))!.output).toMatchObject({ kind: 'fixed', scale: 1 / 256, zeroPoint: -128, quantizer: { bits: 8 } });
    expect(s.registry.lookup(layer('Activation', 'a', { activation: 'tanh' }))!.output).toMatchObject({ kind: 'fixed', quantizer: { bits: 8 } });
    expect(s.input.bits).toBe(8);
    expect(s.registry.lookup(layer('PReLU'))!.weights['alpha']!.quantizer.bits).toBe(8);
  });

  it('makes activations symmetric and weights per tensor on request', () => {
    const s = nbit({ activationBits: 4, activationSymmetric: true, perAxis: false });
    expect(s.registry.lookup(layer('Add'))!.output).toEqual({ kind: 'learned', quantizer: { bits: 4, symmetric: true, narrowRange: false, signed: true } });
    expect(s.registry.lookup(conv())!.weights['kernel']!.perAxis).toBe(false);
    expect(s.name).toBe('nbit-w8a4-sym-per-tensor');
  });

  it('applies per-layer overrides by name, RegExp and class, later entries winning field by field', () => {
    const s = nbit({
      weightBits: 4,
      layers: [
        { match: { className: 'Conv2D' }, weightBits: 2, activationBits: 5 },
        { match: { name: /^head/g }, weightBits: 8 },
        { match: { name: 'c2', className: 'Conv2D' }, perAxis: false },
      ],
    });
    const w = (l: ReturnType<typeof layer>) => s.registry.lookup(l)!.weights['kernel']!;
    expect(w(conv('c1'))).toMatchObject({ quantizer: { bits: 2 }, perAxis: true });
    expect(s.registry.lookup(conv('c1'))!.output).toMatchObject({ quantizer: { bits: 5 } });
    expect(w(conv('c2'))).toMatchObject({ quantizer: { bits: 2 }, perAxis: false });
    expect(w(conv('head_conv'))).toMatchObject({ quantizer: { bits: 8 } });
    // a stateless RegExp: the same answer twice in a row
    expect(w(layer('Dense', 'head_dense')).quantizer.bits).toBe(8);
    expect(w(layer('Dense', 'head_dense')).quantizer.bits).toBe(8);
    expect(w(layer('Dense', 'body')).quantizer.bits).toBe(4);
    expect(s.widthsOf(conv('c2'))).toEqual({ weightBits: 2, activationBits: 5, perAxis: false, perAxisFrom: 2 });
  });

  it('refuses per-axis weights on a layer without channels when it meets one by name', () => {
    const s = nbit({ layers: [{ match: { name: 'd' }, perAxis: true }] });
    expect(s.registry.lookup(conv('d'))!.weights['kernel']!.perAxis).toBe(true);
    const err = (() => {
      try {
        s.registry.lookup(layer('Dense', 'd'));
      } catch (e) {
        return e;
      }
    })();
    expect(isQatkitError(err, 'INVALID_OPTION')).toBe(true);
    expect((err as Error).message).toMatch(/layers\[0\]\.perAxis: layer "d" \(class Dense\)/);
  });
});
