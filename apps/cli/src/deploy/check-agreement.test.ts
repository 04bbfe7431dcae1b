import { describe, expect, it } from 'vitest';
import { AGREEMENT_RULE, checkAgreement } from './check-agreement.js';
import { agreement, type AgreementReport, type DeployedRun } from './run-tflite.js';

/** A report for `outputs` values of which `beyond` are more than one step apart. */
function report(outputs: number, beyond: number, maxSteps = beyond > 0 ? 3.5 : 1, argmax = 0.999): AgreementReport {
  return { argmax, withinOneStep: (outputs - beyond) / outputs, maxSteps, outputs, beyondOneStep: beyond };
}

describe('checkAgreement', () => {
  it('passes a model whose outputs are all within one step', () => {
    const v = checkAgreement(report(10_000, 0));
    expect(v.ok).toBe(true);
    expect(v.fractionBeyondOneStep).toBe(0);
    expect(v.message).toBe(
      'the deployed int8 model agrees with the QAT model: 0 of 10000 outputs (0.00%) are more than one output quantization step apart ' +
        '(at most 1.00% allowed); largest difference 1.00 steps; argmax agreement 99.90%',
    );
  });

  it('passes at 0.99% and exactly 1% beyond one step, fails at 1.01%', () => {
    expect(checkAgreement(report(10_000, 99)).ok).toBe(true);
    expect(checkAgreement(report(10_000, 100)).ok).toBe(true);
    expect(checkAgreement(report(100, 1)).ok).toBe(true);
    const v = checkAgreement(report(10_000, 101, 112.4, 0.1));
    expect(v.ok).toBe(false);
    expect(v.fractionBeyondOneStep).toBeCloseTo(0.0101, 12);
    expect(v.message).toBe(
      'the deployed int8 model disagrees with the QAT model: 101 of 10000 outputs (1.01%) are more than one output quantization step apart ' +
        '(at most 1.00% allowed); largest difference 112.40 steps; argmax agreement 10.00%',
    );
  });

  it('fails when nothing was compared', () => {
    const v = checkAgreement({ argmax: Number.NaN, withinOneStep: Number.NaN, maxSteps: 0, outputs: 0, beyondOneStep: 0 });
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/^no outputs were compared/);
  });

  it('fails on a non-finite difference even when the share is within the bar', () => {
    const v = checkAgreement(report(10_000, 1, Number.POSITIVE_INFINITY));
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/largest difference not a finite number/);
  });

  it('takes a stricter or looser rule, and rejects a rule outside [0, 1]', () => {
    expect(checkAgreement(report(10_000, 1), { maxFractionBeyondOneStep: 0 }).ok).toBe(false);
    expect(checkAgreement(report(10_000, 500), { maxFractionBeyondOneStep: 0.05 }).ok).toBe(true);
    expect(() => checkAgreement(report(10, 0), { maxFractionBeyondOneStep: 1.5 })).toThrow(/between 0 and 1, got 1.5/);
    expect(() => checkAgreement(report(10, 0), { maxFractionBeyondOneStep: Number.NaN })).toThrow(RangeError);
    expect(AGREEMENT_RULE.maxFractionBeyondOneStep).toBe(0.01);
  });
});

describe('agreement', () => {
  const run = (outputs: number[], classes: number[]): DeployedRun => ({ outputs: Float32Array.from(outputs), classes: Int32Array.from(classes), msPerImage: 0 });

  it('counts outputs beyond one step and the largest difference, in steps', () => {
    // step 0.5: differences of 0, 0.5 (1 step), 1.5 (3 steps), 0.25 (0.5 steps).
    const a = agreement(run([0, 1, 2, 3], [1, 0]), Int32Array.from([1, 1]), Float32Array.from([0, 0.5, 0.5, 3.25]), 0.5);
    expect(a).toEqual({ argmax: 0.5, withinOneStep: 0.75, maxSteps: 3, outputs: 4, beyondOneStep: 1 });
    expect(checkAgreement(a).ok).toBe(false);
  });

  it('counts NaN outputs and missing QAT values as beyond one step', () => {
    const a = agreement(run([Number.NaN, 0, 0], [0]), Int32Array.from([0]), Float32Array.from([0, 0]), 0.1);
    expect(a.beyondOneStep).toBe(2);
    expect(a.maxSteps).toBe(Number.POSITIVE_INFINITY);
  });
});
