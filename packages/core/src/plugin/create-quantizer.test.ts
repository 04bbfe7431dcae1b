import { describe, expect, it } from 'vitest';
import { createQuantizer } from './create-quantizer.js';
import type { QuantizeScheme } from './scheme.js';
import type { Exporter } from './exporter.js';
import type { Graph } from '../ir/types.js';

const graph: Graph = {
  name: 'empty',
  tensors: { x: { name: 'x', shape: [1], dtype: 'float32' }, y: { name: 'y', shape: [1], dtype: 'float32' } },
  ops: [{ kind: 'Relu', name: 'relu', inputs: ['x'], outputs: ['y'], attrs: {} }],
  inputs: ['x'],
  outputs: ['y'],
};
const scheme: QuantizeScheme = {
  name: 'test',
  registry: { lookup: () => undefined, supportedLayers: () => [] },
  fusions: [],
  input: { bits: 8, symmetric: false, narrowRange: false, signed: true },
  ranges: { emaDecay: 0.99 },
  transforms: [{ name: 'rename', apply: (g) => ({ ...g, name: `${g.name}+renamed` }) }],
};
const echo: Exporter = { name: 'echo', format: 'echo', extension: '.txt', export: (g) => new TextEncoder().encode(g.name) };

describe('createQuantizer', () => {
  it('applies the scheme transforms before exporting', () => {
    const qz = createQuantizer({ scheme, exporters: [echo] });
    expect(new TextDecoder().decode(qz.export(graph, 'echo'))).toBe('empty+renamed');
  });
  it('names the registered formats when a format is unknown', () => {
    expect(() => createQuantizer({ scheme, exporters: [echo] }).export(graph, 'onnx')).toThrow(/registered: echo/);
  });
  it('refuses two exporters for one format', () => {
    expect(() => createQuantizer({ scheme, exporters: [echo, { ...echo }] })).toThrow(/two exporters/);
  });
  it('runs every target check', () => {
    const qz = createQuantizer({ scheme, targets: [{ name: 't', check: (g) => ({ target: 't', ops: g.ops.map(() => ({ op: '', kind: '', placement: 'cpu', reasons: [] })) }) }] });
    expect(qz.check(graph)).toEqual([{ target: 't', ops: [{ op: '', kind: '', placement: 'cpu', reasons: [] }] }]);
  });
});
