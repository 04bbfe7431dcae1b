import { describe, expect, it } from 'vitest';
import { STUDY_BUDGET, VARIANTS, type StudyRow } from './study-plan.js';
import { acceptance, studyMarkdown, studySvg } from './study-report.js';

/**
 * Made-up rows: float 90 %, float + 1 epoch 90.5 %, PTQ of float 89.x %, PTQ of float + 1 epoch
 * 89.7–90.1 %, QAT int8 89.9 %, 4-bit 88.5 % (exactly 2 points under float + 1 epoch), 2-bit 80 %.
 */
function rows(arch: 'cnn' | 'mobilenetv2', qat8 = 0.899): StudyRow[] {
  const acc = [0.9, 0.905, 0.891, 0.89, 0.893, 0.894, 0.9, 0.898, 0.901, 0.897, qat8, 0.885, 0.8];
  expect(acc).toHaveLength(VARIANTS.length);
  return VARIANTS.map((variant, i) => ({ arch, variant, accuracy: acc[i]!, bytes: 1000 * (i + 1), agreement: i < 2 ? Number.NaN : 0.999, seconds: i }));
}

const ctx = { command: 'pnpm study', machine: 'test machine', date: '2026-12-05', data: 'test data', budgets: STUDY_BUDGET, totalSeconds: 60 };

describe('study report', () => {
  it('computes the acceptance checks from the rows, against both PTQ baselines and both float references', () => {
    // QAT beats PTQ of the float it started from, not PTQ of the float fine-tuned as long; 4-bit is
    // exactly 2 points under the fine-tuned float, which passes (no rounding failure).
    expect(acceptance(rows('cnn')).map((c) => c.ok)).toEqual([true, false, true, true]);
    const failing = acceptance([...rows('cnn', 0.85), ...rows('mobilenetv2', 0.85)], STUDY_BUDGET);
    expect(failing.map((c) => c.ok)).toEqual([false, false, true, true, false, false, true, true]);
    expect(failing[0]!.text).toBe('cnn: QAT int8 ≥ best PTQ int8 (of the float QAT started from): QAT int8 85.00 % vs PTQ int8, mse 89.40 %, −4.40 points');
    expect(failing[1]!.text).toBe(
      'cnn: QAT int8 vs best PTQ int8 at the same training budget (passes if ≥): QAT int8 85.00 % vs PTQ int8 of float +1 epoch, percentile 99.99 90.10 %, −5.10 points',
    );
    expect(failing[2]!.text).toContain('within 2 points of float: QAT 4-bit weights, int8 activations 88.50 % vs float32 90.00 %, −1.50 points');
    expect(failing[3]!.text).toContain('within 2 points of float with the same training: QAT 4-bit weights, int8 activations 88.50 % vs float32, +1 fine-tuning epoch 90.50 %, −2.00 points');
    expect(acceptance(rows('cnn', 0.9015)).map((c) => c.ok)).toEqual([true, true, true, true]);
  });

  it('writes one table per architecture with deltas against float and the same-budget float', () => {
    const md = studyMarkdown([...rows('cnn'), ...rows('mobilenetv2')], ctx);
    // QAT and PTQ-of-fine-tuned rows also against the float model fine-tuned as long (90.5 %), PTQ rows against float.
    expect(md).toContain('| QAT 4-bit weights, int8 activations | 88.50 % | −1.50 | −2.00 | 11.7 KiB | 99.90 % | 11 s |');
    expect(md).toContain('| PTQ int8, mse | 89.40 % | −0.60 | −0.60 | 5.9 KiB | 99.90 % | 5 s |');
    expect(md).toContain('| PTQ int8 of float +1 epoch, mse | 89.70 % | −0.30 | −0.80 | 9.8 KiB | 99.90 % | 9 s |');
    expect(md).toContain('| float32, +1 fine-tuning epoch | 90.50 % | +0.50 |  | 2.0 KiB | — | 1 s |');
    expect(md.match(/^## /gm)).toHaveLength(3);
    expect(md).toContain('- PASS: cnn: QAT int8 ≥ best PTQ int8');
    expect(md).toContain('- FAIL: mobilenetv2: QAT int8 vs best PTQ int8 at the same training budget');
    expect(md).toContain('the binomial standard error of one accuracy is 0.7 points at 91 % (cnn, 2000 test images), 0.7 points at 91 % (mobilenetv2, 2000 test images).');
  });

  it('draws the same SVG for the same rows: a bar per row in four groups, labels, no NaN', () => {
    const all = [...rows('cnn'), ...rows('mobilenetv2')];
    const svg = studySvg(all);
    expect(studySvg(all)).toBe(svg);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(26);
    expect(svg).not.toContain('NaN');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const title of ['>float</text>', '>PTQ int8 of float</text>', '>PTQ int8 of float+ft</text>', '>QAT</text>']) expect(svg).toContain(title);
    // The axis starts at the tenth 5 points below the lowest bar (80 %): 70 %, not lower.
    expect(svg).toContain('>70%</text>');
    expect(svg).not.toContain('>65%</text>');
  });
});
