import { QatkitError, type QuantizeScheme } from '@qatkit/core';
import { createRegistry, extendRegistry, type RegistryRow, type TableRegistry } from '@qatkit/registry';
import { A8 } from './quantizers.js';
import { DEFAULT_8BIT_FUSIONS, default8bitRows } from './table.js';

export interface Default8bitOptions {
  /** Per-output-channel conv weights (default true, as the TFLite spec); false for per-tensor NPUs. */
  readonly perAxis?: boolean;
  /**
   * EMA decay of activation ranges. Ranges start at the first batch's min/max, so 0.99 settles
   * within a few hundred steps (tfmot's 0.999 from ±6 needs thousands).
   */
  readonly emaDecay?: number;
  /** Extra or replacement rows, e.g. for a custom layer. */
  readonly rows?: readonly RegistryRow[];
}

export interface Default8bitScheme extends QuantizeScheme {
  readonly registry: TableRegistry;
}

/** The default 8-bit scheme: the TFLite int8 quantization spec. */
export function default8bit(options: Default8bitOptions = {}): Default8bitScheme {
  const { perAxis = true, emaDecay = 0.99, rows = [] } = options;
  if (!(emaDecay > 0 && emaDecay < 1)) {
    throw new QatkitError('INVALID_OPTION', `emaDecay must be in (0, 1), got ${emaDecay}`);
  }
  const base = createRegistry(default8bitRows(perAxis));
  return Object.freeze({
    name: perAxis ? 'default-8bit' : 'default-8bit-per-tensor',
    registry: rows.length ? extendRegistry(base, rows) : base,
    fusions: DEFAULT_8BIT_FUSIONS,
    input: A8,
    ranges: Object.freeze({ emaDecay }),
    transforms: [],
  });
}
