import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent, formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns text left and numbers right', () => {
    expect(formatTable(['model', 'accuracy'], [['float', '88.10%'], ['int8 (LiteRT)', '8.20%']])).toBe(
      ['model          accuracy', '-------------  --------', 'float            88.10%', 'int8 (LiteRT)     8.20%'].join('\n'),
    );
  });
  it('formats sizes and percentages', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '3.00 MB']);
    expect(formatPercent(0.87654)).toBe('87.65%');
  });
});
