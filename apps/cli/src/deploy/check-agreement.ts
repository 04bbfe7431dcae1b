import { formatPercent } from '../io/table.js';
import type { AgreementReport } from './run-tflite.js';

/** How far a deployed model may stray from the QAT model before the check fails. */
export interface AgreementRule {
  /** Largest share of output values allowed to be more than one output quantization step apart. */
  readonly maxFractionBeyondOneStep: number;
}

/** The project's bar: at least 99% of outputs within one step of the QAT model. */
export const AGREEMENT_RULE: AgreementRule = { maxFractionBeyondOneStep: 0.01 };

export interface AgreementVerdict {
  readonly ok: boolean;
  /** Share of outputs more than one step apart (NaN when nothing was compared). */
  readonly fractionBeyondOneStep: number;
  /** One line saying what was compared and how it came out, for logs and error output. */
  readonly message: string;
}

const steps = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} steps` : 'not a finite number (NaN or infinite outputs)');

/**
 * Whether a deployed int8 model behaves like the QAT model it came from, by `rule`.
 * Fails when more than the allowed share of outputs is beyond one step, when any difference is not
 * finite (a broken output is never "close enough"), and when nothing was compared at all.
 */
export function checkAgreement(report: AgreementReport, rule: AgreementRule = AGREEMENT_RULE): AgreementVerdict {
  const max = rule.maxFractionBeyondOneStep;
  if (!(max >= 0 && max <= 1)) throw new RangeError(`maxFractionBeyondOneStep must be between 0 and 1, got ${max}`);
  if (report.outputs === 0) {
    return { ok: false, fractionBeyondOneStep: Number.NaN, message: 'no outputs were compared: the deployed model cannot be checked against the QAT model' };
  }
  // Counts, not 1 − withinOneStep: 100/10000 must equal the 0.01 bar exactly, not exceed it by rounding.
  const fraction = report.beyondOneStep / report.outputs;
  const ok = fraction <= max && Number.isFinite(report.maxSteps);
  const message =
    `the deployed int8 model ${ok ? 'agrees' : 'disagrees'} with the QAT model: ` +
    `${report.beyondOneStep} of ${report.outputs} outputs (${formatPercent(fraction)}) are more than one output quantization step apart ` +
    `(at most ${formatPercent(max)} allowed); largest difference ${steps(report.maxSteps)}; argmax agreement ${formatPercent(report.argmax)}`;
  return { ok, fractionBeyondOneStep: fraction, message };
}
