import { QatkitError, type LayerDescriptor, type QuantizeRegistry, type QuantizeSpec } from '@qatkit/core';
import { describeMatch, describeMismatch, rowMatches, type RegistryRow } from './table.js';

/** A registry built from rows; keeps them so it can be extended and documented. */
export interface TableRegistry extends QuantizeRegistry {
  readonly rows: readonly RegistryRow[];
  /** The row that decided a layer, for reports ("why is this quantized like that"). */
  explain(layer: LayerDescriptor): RegistryRow | undefined;
}

function key(row: RegistryRow): string {
  return describeMatch(row);
}

/**
 * Builds an immutable registry from data rows. Two rows for the same layer and the same config
 * match are a mistake in the table and throw; the first matching row wins otherwise.
 */
export function createRegistry(rows: readonly RegistryRow[]): TableRegistry {
  const seen = new Set<string>();
  for (const row of rows) {
    const k = key(row);
    if (seen.has(k)) throw new QatkitError('DUPLICATE_PLUGIN', `two registry rows for ${k}; use extendRegistry to override a row`);
    seen.add(k);
  }
  const frozen = Object.freeze([...rows]);
  const explain = (layer: LayerDescriptor) => frozen.find((r) => rowMatches(r, layer));
  return Object.freeze({
    rows: frozen,
    explain,
    lookup: (layer: LayerDescriptor): QuantizeSpec | undefined => explain(layer)?.spec,
    supportedLayers: () => [...new Set(frozen.map((r) => r.layer))],
    explainMismatch: (layer: LayerDescriptor) => describeMismatch(frozen.filter((r) => r.layer === layer.className), layer),
  });
}

/**
 * A new registry with `rows` added; a row with the same layer and match as an existing one
 * replaces it (tfmot's collab_opts pattern of wrapping a registry, without mutation).
 */
export function extendRegistry(base: TableRegistry, rows: readonly RegistryRow[]): TableRegistry {
  const replaced = new Set(rows.map(key));
  return createRegistry([...rows, ...base.rows.filter((r) => !replaced.has(key(r)))]);
}

/**
 * The error message for a layer no row covers: names it, says which of its settings are not
 * supported (when its class is), and how to register a rule.
 */
export function unsupportedLayerMessage(layer: LayerDescriptor, registry: QuantizeRegistry, schemeName?: string): string {
  const by = schemeName ? ` by the ${schemeName} scheme` : '';
  const how =
    `To quantize it, add a row for "${layer.className}" with extendRegistry() from @qatkit/registry ` +
    `and pass the resulting scheme, e.g. default8bit({ rows: [{ layer: '${layer.className}', match: { … }, spec: { … }, source: '…' }] }).`;
  const mismatch = registry.supportedLayers().includes(layer.className) ? registry.explainMismatch?.(layer) : undefined;
  if (mismatch) return `Layer "${layer.name}" (class ${layer.className}) has ${mismatch}, which is not supported${by}. ${how}`;
  if (registry.supportedLayers().includes(layer.className)) {
    return `Layer "${layer.name}" (class ${layer.className}) has settings no rule${by} covers. ${how}`;
  }
  const known = registry.supportedLayers().join(', ');
  return `Layer "${layer.name}" (class ${layer.className}) is not supported${by}. Supported layers: ${known}. ${how}`;
}
