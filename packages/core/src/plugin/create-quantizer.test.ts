import { describe, expect, it } from 'vitest';
import { chain } from '../test-utils/target-model.js';
import type { ProfileTables, TargetProfile } from './target.js';
import { runProfile } from './target-engine.js';
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
  it('runs every target check on a deployable model, and refuses two targets of one name', () => {
    const tables: ProfileTables = {
      general: [],
      ops: [],
      unlisted: { id: 'U', rule: 'not supported', source: 's', confidence: 'SRC' },
      partitioning: { kind: 'unlimited', rule: 'any', source: 's', confidence: 'SRC' },
      acceleratedStatus: 'mapped',
    };
    const target: TargetProfile = {
      name: 't',
      title: 'T',
      settings: {},
      requirements: { perAxisWeights: true, io: ['int8'], activationBits: [8], because: [] },
      check: (m) => runProfile(m, tables, { name: 't', title: 'T', settings: {}, config: undefined }),
    };
    const qz = createQuantizer({ scheme, targets: [target] });
    const [report] = qz.check(chain(['ADD']));
    expect(report).toMatchObject({ target: 't', summary: { verdict: 'cpu', ops: 1 }, ops: [{ opcode: 'ADD', placement: 'cpu', status: 'not supported' }] });
    expect(() => createQuantizer({ scheme, targets: [target, { ...target }] })).toThrow(/two targets named "t"/);
  });
});
