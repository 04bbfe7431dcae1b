import type { OutputRule, QuantizeScheme, QuantizeSpec, QuantizerSpec, WeightRule } from '@qatkit/core';
import { createRegistry, extendRegistry, type RegistryRow, type TableRegistry } from '@qatkit/registry';
import { A8, DEFAULT_8BIT_FUSIONS, default8bitRows } from '@qatkit/scheme-8bit';

/**
 * A scheme written outside qatkit: the TFLite int8 table of @qatkit/scheme-8bit with every scale
 * a power of two, for NPUs that requantize with a shift instead of a multiplier. It changes data
 * only — each row's quantizers get `scale: 'power-of-two'` — so the bridge trains on power-of-two
 * grids and the unchanged exporters write them.
 */

export interface Pow2Options {
  /** Per-output-channel conv weights (default true); false for per-tensor NPUs. */
  readonly perAxis?: boolean;
  /** EMA decay of the learned activation ranges (default 0.99, as default8bit). */
  readonly emaDecay?: number;
  /** Extra or replacing rows (e.g. for a custom layer); their quantizers are made power-of-two too. */
  readonly rows?: readonly RegistryRow[];
}

export interface Pow2Scheme extends QuantizeScheme {
  readonly registry: TableRegistry;
}

export function pow2(q: QuantizerSpec): QuantizerSpec {
  return { ...q, scale: 'power-of-two' };
}

const isPow2 = (x: number) => x > 0 && 2 ** Math.round(Math.log2(x)) === x;

/** Learned ranges round their scale; fixed outputs (softmax 1/256, tanh 1/128) must already be powers of two. */
function pow2Output(rule: OutputRule, layer: string): OutputRule {
  if (rule.kind === 'learned') return { ...rule, quantizer: pow2(rule.quantizer) };
  if (rule.kind === 'fixed' && !isPow2(rule.scale)) {
    throw new Error(`row for ${layer}: fixed output scale ${rule.scale} is not a power of two; this scheme cannot keep it`);
  }
  return rule.kind === 'fixed' ? { ...rule, quantizer: pow2(rule.quantizer) } : rule;
}

function pow2Spec(spec: QuantizeSpec, layer: string): QuantizeSpec {
  const weights: Record<string, WeightRule> = {};
  for (const [name, rule] of Object.entries(spec.weights)) weights[name] = { ...rule, quantizer: pow2(rule.quantizer) };
  return { ...spec, weights, output: pow2Output(spec.output, layer) };
}

/** One row of any table, with power-of-two quantizers; its source says so for reports. */
export function pow2Row(row: RegistryRow): RegistryRow {
  return { ...row, spec: pow2Spec(row.spec, row.layer), source: `${row.source}; scales rounded up to powers of two` };
}

/** The power-of-two scheme: the default 8-bit rows made power-of-two, plus `rows`. */
export function pow2Scheme(options: Pow2Options = {}): Pow2Scheme {
  const { perAxis = true, emaDecay = 0.99, rows = [] } = options;
  const base = createRegistry(default8bitRows(perAxis).map(pow2Row));
  return Object.freeze({
    name: perAxis ? 'pow2-8bit' : 'pow2-8bit-per-tensor',
    registry: rows.length ? extendRegistry(base, rows.map(pow2Row)) : base,
    fusions: DEFAULT_8BIT_FUSIONS,
    input: pow2(A8),
    ranges: Object.freeze({ emaDecay }),
    transforms: [],
  });
}
