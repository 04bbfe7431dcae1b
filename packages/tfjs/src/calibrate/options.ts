import { QatkitError } from '@qatkit/core';

/**
 * How calibrate() sets activation ranges from the batches:
 * - `minmax`: the smallest and largest value over all batches;
 * - `ema`: the fake-quant layers' own tracking from a fresh start (moving average seeded by the
 *   first batch, running min/max for a model input), as in training;
 * - `percentile`: tails beyond the given percentile cut (default 99.99);
 * - `mse`: the clipping range whose grid gives the smallest quantization MSE over the data; weights
 *   are clipped per channel to their MSE-optimal range too (every other method keeps |max| weights).
 */
export const CALIBRATION_METHODS = ['minmax', 'ema', 'percentile', 'mse'] as const;
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

export const DEFAULT_PERCENTILE = 99.99;

export interface CalibrateOptions {
  /**
   * Without a method, calibrate() updates the ranges as training does (moving average onward from
   * whatever ranges the model has): a refresh after training. A method starts from scratch.
   */
  readonly method?: CalibrationMethod;
  /** For `percentile`: in (0, 100]; default 99.99. */
  readonly percentile?: number;
  /** Called after each batch with batches done and, for an array of batches, their number. */
  readonly onProgress?: (done: number, total?: number) => void;
}

/** Where each calibrated range ended: the calibration plan as data (also what the export uses). */
export interface CalibrationResult {
  readonly method: CalibrationMethod | 'default';
  readonly batches: number;
  /** Per fake-quant layer that tracks a range: the real range set (before nudging). */
  readonly activations: readonly { readonly layer: string; readonly min: number; readonly max: number }[];
  /** With `mse`: per weighted layer, the clip per output channel (folded weights) and the |max| it replaced. */
  readonly weights: readonly { readonly layer: string; readonly clip: readonly number[]; readonly absMax: readonly number[] }[];
}

/** Validates the options; names the wrong one. */
export function checkCalibrateOptions(options: CalibrateOptions): { method?: CalibrationMethod; percentile: number } {
  const { method, percentile } = options;
  if (method !== undefined && !(CALIBRATION_METHODS as readonly string[]).includes(method)) {
    throw new QatkitError('INVALID_OPTION', `calibrate: unknown method "${String(method)}" (supported: ${CALIBRATION_METHODS.join(', ')})`);
  }
  if (percentile !== undefined) {
    if (method !== 'percentile') throw new QatkitError('INVALID_OPTION', `calibrate: percentile is an option of method "percentile", got method ${method === undefined ? '(none)' : `"${method}"`}`);
    if (typeof percentile !== 'number' || !(percentile > 0 && percentile <= 100)) {
      throw new QatkitError('INVALID_OPTION', `calibrate: percentile must be a number in (0, 100], e.g. 99.99; got ${String(percentile)}`);
    }
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new QatkitError('INVALID_OPTION', 'calibrate: onProgress must be a function (done, total?) => void');
  }
  return { ...(method ? { method } : {}), percentile: percentile ?? DEFAULT_PERCENTILE };
}
