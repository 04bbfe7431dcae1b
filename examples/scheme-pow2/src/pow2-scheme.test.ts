import { nudgeRange, type QuantizerSpec } from '@qatkit/core';
import { default8bitRows } from '@qatkit/scheme-8bit';
import { describe, expect, it } from 'vitest';
import { pow2Row, pow2Scheme } from './pow2-scheme.js';

const quantizersOf = (spec: { weights: Record<string, { quantizer: QuantizerSpec }>; output: { kind: string; quantizer?: QuantizerSpec } }) => [
  ...Object.values(spec.weights).map((w) => w.quantizer),
  ...(spec.output.quantizer ? [spec.output.quantizer] : []),
];

describe('pow2Scheme', () => {
  it('is the default 8-bit table, row for row, with every quantizer power-of-two', () => {
    const scheme = pow2Scheme();
    const rows = scheme.registry.rows;
    expect(rows.map((r) => r.layer)).toEqual(default8bitRows(true).map((r) => r.layer));
    for (const row of rows) {
      for (const q of quantizersOf(row.spec)) expect(q.scale, row.layer).toBe('power-of-two');
      expect(row.source).toMatch(/powers of two$/);
    }
    expect(scheme.input.scale).toBe('power-of-two');
    expect(scheme.name).toBe('pow2-8bit');
    expect(pow2Scheme({ perAxis: false }).registry.lookup({ className: 'Conv2D', name: 'c', config: { dataFormat: 'channelsLast' } })!.weights['kernel']!.perAxis).toBe(false);
  });

  it('gives power-of-two parameters through core', () => {
    const conv = pow2Scheme().registry.lookup({ className: 'Conv2D', name: 'c', config: { dataFormat: 'channelsLast' } })!;
    const r = nudgeRange(-0.3, 2.9, conv.output.kind === 'learned' ? conv.output.quantizer : conv.output.kind === 'fixed' ? conv.output.quantizer : pow2Scheme().input);
    expect(r.scale).toBe(1 / 64);
    expect(nudgeRange(-0.41, 0.2, conv.weights['kernel']!.quantizer).scale).toBe(1 / 256);
  });

  it('takes extra rows and refuses a fixed output scale it cannot keep', () => {
    const custom = { layer: 'MyScale', spec: { op: 'Relu' as const, weights: {}, output: { kind: 'learned' as const, quantizer: { bits: 8, symmetric: false, narrowRange: false, signed: true } } }, source: 'mine' };
    const scheme = pow2Scheme({ rows: [custom] });
    const spec = scheme.registry.lookup({ className: 'MyScale', name: 'm', config: {} })!;
    expect(spec.output).toMatchObject({ kind: 'learned', quantizer: { scale: 'power-of-two' } });
    const fixed = { ...custom, spec: { ...custom.spec, output: { kind: 'fixed' as const, scale: 0.1, zeroPoint: 0, quantizer: custom.spec.output.quantizer } } };
    expect(() => pow2Row(fixed)).toThrow(/fixed output scale 0.1 is not a power of two/);
  });
});
