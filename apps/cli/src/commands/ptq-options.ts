// The ptq command's option values, apart from the calibration code so that registering the command
// (and running any other command) does not load tfjs.

import type { ExportModelOptions } from './export-options.js';

export const PTQ_METHODS = ['minmax', 'ema', 'percentile', 'mse'] as const;
export type PtqMethod = (typeof PTQ_METHODS)[number];

export interface PtqOptions {
  /** Path of the float model's tf.io model.json. */
  readonly model: string;
  readonly method: PtqMethod;
  /** For `percentile` only. */
  readonly percentile?: number;
  /** Folder of Fashion-MNIST IDX files; default as for the demo (system set, else the bundled subset). */
  readonly data?: string;
  /** Calibration images taken from the training split, in batches of `batchSize`. */
  readonly samples: number;
  readonly batchSize: number;
  /** The model input's real range: the pixels are scaled to [0, 1]. */
  readonly inputRange: readonly [number, number];
  readonly format: ExportModelOptions['format'];
  readonly io: ExportModelOptions['io'];
  /** Output file; default: model-ptq-<method>.<format> beside model.json. */
  readonly out?: string;
}

export const PTQ_DEFAULTS = { method: 'mse', samples: 512, batchSize: 64, inputRange: '0,1', format: 'tflite', io: 'float32' } as const;
