import type { LayerDescriptor, QuantizeSpec } from '@qatkit/core';

/** Config values a row requires, e.g. `{ maxValue: [null, 6] }`; any listed value matches. */
export type ConfigMatch = Readonly<Record<string, readonly unknown[]>>;

/** One row of a quantization table: a layer class (optionally narrowed by config) and its rule. */
export interface RegistryRow {
  readonly layer: string;
  readonly match?: ConfigMatch;
  readonly spec: QuantizeSpec;
  /** Where the rule comes from (spec section, paper, vendor doc); shown in reports. */
  readonly source: string;
}

/** `undefined` and `null` are the same to a serialized config (tfjs writes null, users omit). */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a == null && b == null);
}

export function rowMatches(row: RegistryRow, layer: LayerDescriptor): boolean {
  if (row.layer !== layer.className) return false;
  for (const [key, allowed] of Object.entries(row.match ?? {})) {
    if (!allowed.some((v) => sameValue(v, layer.config[key]))) return false;
  }
  return true;
}

export function describeMatch(row: RegistryRow): string {
  const parts = Object.entries(row.match ?? {}).map(([k, vs]) => `${k} ∈ {${vs.map((v) => JSON.stringify(v ?? null)).join(', ')}}`);
  return parts.length ? `${row.layer} (${parts.join(', ')})` : row.layer;
}

const show = (v: unknown) => JSON.stringify(v ?? null);

/**
 * Why no row of `rows` (all for the layer's class) matches it: each config key whose value no
 * row allows, with the values rows do allow; or, when every value is allowed by some row but no
 * row takes them together, the combination.
 */
export function describeMismatch(rows: readonly RegistryRow[], layer: LayerDescriptor): string | undefined {
  if (rows.length === 0 || rows.some((r) => rowMatches(r, layer))) return undefined;
  const allowed = new Map<string, unknown[]>();
  for (const row of rows) for (const [k, vs] of Object.entries(row.match ?? {})) allowed.set(k, [...(allowed.get(k) ?? []), ...vs]);
  const bad = [...allowed].filter(([k, vs]) => !vs.some((v) => sameValue(v, layer.config[k])));
  if (bad.length === 0) return `the combination ${[...allowed.keys()].map((k) => `${k} ${show(layer.config[k])}`).join(', ')} (supported: ${rows.map(describeMatch).join('; ')})`;
  return bad.map(([k, vs]) => `${k} ${show(layer.config[k])} (supported: ${[...new Set(vs.map(show))].join(', ')})`).join(', ');
}
