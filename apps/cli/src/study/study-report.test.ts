import { describe, expect, it } from 'vitest';
import { STUDY_BUDGET, VARIANTS, type StudyRow } from './study-plan.js';
import { acceptance, studyMarkdown, studySvg } from './study-report.js';

/** Made-up rows: float 90 %, PTQ 89.x %, QAT int8 89.9 %, 4-bit 88.5 %, 2-bit 80 %. */
function rows(arch: 'cnn' | 'mobilenetv2', qat8 = 0.899): StudyRow[] {
  const acc = [0.9, 0.905, 0.891, 0.89, 0.893, 0.894, qat8, 0.885, 0.8];
  return VARIANTS.map((variant, i) => ({ arch, variant, accuracy: acc[i]!, bytes: 1000 * (i + 1), agreement: i < 2 ? Number.NaN : 0.999, seconds: i }));
}

const ctx = { command: 'pnpm study', machine: 'test machine', date: '2026-12-05', data: 'test data', budgets: STUDY_BUDGET, totalSeconds: 60 };

describe('study report', () => {
  it('computes the acceptance checks from the rows', () => {
    expect(acceptance(rows('cnn')).map((c) => c.ok)).toEqual([true, true]);
    const failing = acceptance([...rows('cnn', 0.85), ...rows('mobilenetv2', 0.85)]);
    expect(failing.map((c) => c.ok)).toEqual([false, true, false]);
    expect(failing[0]!.text).toBe('cnn: QAT int8 (85.00 %) ≥ best PTQ int8 (PTQ int8, mse, 89.40 %)');
    expect(failing[1]!.text).toContain('−1.50 points');
  });

  it('writes one table per architecture with deltas against float', () => {
    const md = studyMarkdown([...rows('cnn'), ...rows('mobilenetv2')], ctx);
    // QAT rows also against the float model fine-tuned as long (90.5 %), PTQ rows against float.
    expect(md).toContain('| QAT 4-bit weights, int8 activations | 88.50 % | −1.50 | −2.00 | 7.8 KiB | 99.90 % | 7 s |');
    expect(md).toContain('| PTQ int8, mse | 89.40 % | −0.60 | −0.60 | 5.9 KiB | 99.90 % | 5 s |');
    expect(md).toContain('| float32, +1 fine-tuning epoch | 90.50 % | +0.50 |  | 2.0 KiB | — | 1 s |');
    expect(md.match(/^## /gm)).toHaveLength(3);
    expect(md).toContain('- PASS: cnn: QAT int8');
  });

  it('draws the same SVG for the same rows: a bar per row, labels, no NaN', () => {
    const all = [...rows('cnn'), ...rows('mobilenetv2')];
    const svg = studySvg(all);
    expect(studySvg(all)).toBe(svg);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(18);
    expect(svg).not.toContain('NaN');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // The axis starts at the tenth 5 points below the lowest bar (80 %): 70 %, not lower.
    expect(svg).toContain('>70%</text>');
    expect(svg).not.toContain('>65%</text>');
  });
});
