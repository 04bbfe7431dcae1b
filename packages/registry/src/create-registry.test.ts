import { describe, expect, it } from 'vitest';
import type { QuantizeSpec } from '@qatkit/core';
import { createRegistry, extendRegistry, unsupportedLayerMessage } from './create-registry.js';

const relu: QuantizeSpec = { op: 'Relu', weights: {}, output: { kind: 'same-as-input' } };
const relu6: QuantizeSpec = { op: 'Relu6', weights: {}, output: { kind: 'same-as-input' } };
const drop: QuantizeSpec = { op: 'Identity', weights: {}, output: { kind: 'identity' } };
const layer = (className: string, config: Record<string, unknown> = {}) => ({ className, name: `${className.toLowerCase()}_1`, config });

describe('createRegistry', () => {
  const reg = createRegistry([
    { layer: 'ReLU', match: { maxValue: [null] }, spec: relu, source: 'test' },
    { layer: 'ReLU', match: { maxValue: [6] }, spec: relu6, source: 'test' },
  ]);
  it('looks rows up by class and config, treating undefined as null', () => {
    expect(reg.lookup(layer('ReLU'))?.op).toBe('Relu');
    expect(reg.lookup(layer('ReLU', { maxValue: null }))?.op).toBe('Relu');
    expect(reg.lookup(layer('ReLU', { maxValue: 6 }))?.op).toBe('Relu6');
    expect(reg.lookup(layer('ReLU', { maxValue: 4 }))).toBeUndefined();
    expect(reg.lookup(layer('Conv1D'))).toBeUndefined();
    expect(reg.supportedLayers()).toEqual(['ReLU']);
  });
  it('refuses duplicate rows', () => {
    expect(() => createRegistry([{ layer: 'Dropout', spec: drop, source: 'a' }, { layer: 'Dropout', spec: drop, source: 'b' }])).toThrow(/two registry rows for Dropout/);
  });
  it('extends without touching the base registry', () => {
    const ext = extendRegistry(reg, [
      { layer: 'Dropout', spec: drop, source: 'user' },
      { layer: 'ReLU', match: { maxValue: [6] }, spec: relu, source: 'override' },
    ]);
    expect(ext.lookup(layer('Dropout'))?.op).toBe('Identity');
    expect(ext.lookup(layer('ReLU', { maxValue: 6 }))?.op).toBe('Relu');
    expect(ext.explain(layer('ReLU', { maxValue: 6 }))?.source).toBe('override');
    expect(reg.lookup(layer('Dropout'))).toBeUndefined();
    expect(reg.lookup(layer('ReLU', { maxValue: 6 }))?.op).toBe('Relu6');
  });
  it('explains unsupported layers by name and class, with the way out', () => {
    const msg = unsupportedLayerMessage({ className: 'Conv1D', name: 'conv1d_3', config: {} }, reg, 'default-8bit');
    expect(msg).toMatch(/Layer "conv1d_3" \(class Conv1D\) is not supported by the default-8bit scheme/);
    expect(msg).toMatch(/Supported layers: ReLU/);
    expect(msg).toMatch(/extendRegistry/);
  });

  it('names the unsupported setting and its supported values when the class is known', () => {
    const msg = unsupportedLayerMessage(layer('ReLU', { maxValue: 3 }), reg, 'default-8bit');
    expect(msg).toMatch(/^Layer "relu_1" \(class ReLU\) has maxValue 3 \(supported: null, 6\), which is not supported by the default-8bit scheme\./);
    expect(msg).not.toMatch(/Supported layers/);
    expect(msg).toMatch(/extendRegistry/);
    const two = createRegistry([{ layer: 'Pool', match: { size: [2], format: ['last'] }, spec: drop, source: 't' }, { layer: 'Pool', match: { size: [3], format: ['first'] }, spec: drop, source: 't' }]);
    expect(unsupportedLayerMessage(layer('Pool', { size: 2, format: 'first' }), two)).toMatch(
      /has the combination size 2, format "first" \(supported: Pool \(size ∈ \{2\}, format ∈ \{"last"\}\); Pool \(size ∈ \{3\}, format ∈ \{"first"\}\)\)/,
    );
    expect(unsupportedLayerMessage(layer('Pool', { size: 4, format: 'side' }), two)).toMatch(/has size 4 \(supported: 2, 3\), format "side" \(supported: "last", "first"\)/);
  });
});
