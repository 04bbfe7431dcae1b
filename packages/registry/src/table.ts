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
