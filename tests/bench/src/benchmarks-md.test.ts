// BENCHMARKS.md (written by `pnpm bench`, committed) names every figure issue 9 asks for, with its
// context beside each table, its charts exist, and every missed goal is explained in the analysis.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED_FIGURES } from './report/required-figures.js';
import { REPO_ROOT } from './results.js';

const md = readFileSync(join(REPO_ROOT, 'BENCHMARKS.md'), 'utf8');
const [body = '', analysis = ''] = md.split(/^## Analysis/m);

describe('BENCHMARKS.md', () => {
  it('has a measured value for every figure of the issue', () => {
    for (const { id } of REQUIRED_FIGURES) {
      const row = body.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${id}\``));
      expect(row, id).toBeDefined();
      expect(row, id).not.toContain('not measured');
    }
  });

  it('names every figure in words', () => {
    const phrases = [
      'examples/s', 'wasm', 'cpu', 'Fashion-MNIST CNN', 'MobileNetV2-0.35-96', 'QAT step ÷ float step', 'stock tfjs cpu',
      'MobileNetV2-1.0-224', 'TFLite', 'ONNX', 'peak memory', 'toGraph', 'LiteRT wasm', 'onnxruntime CPU', 'file size', '`qatkit check`',
    ];
    for (const p of phrases) expect(md, p).toContain(p);
  });

  it('puts machine, versions, command and date above every table', () => {
    const lines = body.split('\n');
    const captions = lines.map((l, i) => [l, i] as const).filter(([l, i]) => l.startsWith('**') && lines[i + 2]?.startsWith('|'));
    expect(captions.length).toBeGreaterThanOrEqual(4);
    for (const [caption, i] of captions) {
      const context = lines.slice(Math.max(0, i - 6), i).join('\n');
      for (const key of ['- Machine:', '- Versions: node', '- Command: `pnpm bench', '- Date:']) expect(context, `${key} above ${caption}`).toContain(key);
    }
  });

  it('links SVG charts that exist', () => {
    const charts = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]!);
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const c of charts) expect(existsSync(join(REPO_ROOT, c)), c).toBe(true);
  });

  it('explains every missed goal in the analysis, by figure id', () => {
    const missed = body
      .split('\n')
      .filter((l) => l.includes('missed'))
      .flatMap((l) => [...l.matchAll(/`([a-z0-9.-]+)`/g)].map((m) => m[1]!));
    expect(analysis.length).toBeGreaterThan(0);
    for (const id of new Set(missed)) expect(analysis, `analysis of ${id}`).toContain(id);
  });
});
