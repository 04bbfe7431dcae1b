import { QatkitError, type LayerDescriptor, type QuantizeRegistry, type QuantizeScheme, type QuantizerSpec } from '@qatkit/core';
import { createRegistry, type TableRegistry } from '@qatkit/registry';
import { A8, DEFAULT_8BIT_FUSIONS, default8bitRows, schemeRows } from '@qatkit/scheme-8bit';
import { resolveOptions, widthsFor, type NbitOptions, type ResolvedOptions } from './options.js';

/** Symmetric narrow-range weights: n bits give [-(2^(n-1) - 1), 2^(n-1) - 1], zero point 0. */
export function weightQuantizer(bits: number): QuantizerSpec {
  return Object.freeze({ bits, symmetric: true, narrowRange: true, signed: true });
}

/** Activations: n signed bits, [-2^(n-1), 2^(n-1) - 1]; symmetric ones have zero point 0. */
export function activationQuantizer(bits: number, symmetric: boolean): QuantizerSpec {
  return Object.freeze({ bits, symmetric, narrowRange: false, signed: true });
}

export interface NbitScheme extends QuantizeScheme {
  /** The options with defaults filled in. */
  readonly options: ResolvedOptions;
  /** The widths a layer gets (scheme-wide, then the matching `layers` overrides). */
  widthsOf(layer: LayerDescriptor): ReturnType<typeof widthsFor>;
}

/** The table's layer classes, and those with weights that can be quantized per output channel. */
function tableClasses(): { classes: string[]; channelClasses: string[] } {
  const rows = default8bitRows(true);
  const classes = [...new Set(rows.map((r) => r.layer))];
  const channelClasses = [...new Set(rows.filter((r) => Object.values(r.spec.weights).some((w) => w.perAxis)).map((r) => r.layer))];
  return { classes, channelClasses };
}

function schemeName(o: ResolvedOptions): string {
  const parts = [`nbit-w${o.weightBits}a${o.activationBits}`];
  if (o.activationSymmetric) parts.push('sym');
  if (!o.perAxis) parts.push('per-tensor');
  if (o.layers.length) parts.push(`${o.layers.length}-overrides`);
  return parts.join('-');
}

/**
 * An experimental scheme with 2–8-bit weights and activations, chosen separately and per layer.
 * It is the default 8-bit table (schemeRows of @qatkit/scheme-8bit) with n-bit quantizers, not a
 * copy of it. What stays 8 bits: the model input (TFLite's QUANTIZE at the float edge and int8/uint8
 * I/O only know the int8 range), fixed-output kernels (softmax, logistic, tanh: (1/256, -128) and
 * (1/128, 0)), and constant operands (PReLU's alpha, a standalone BatchNorm's factors).
 */
export function nbit(options: NbitOptions = {}): NbitScheme {
  const { classes, channelClasses } = tableClasses();
  const o = resolveOptions(options, classes, channelClasses);
  const tables = new Map<string, TableRegistry>();
  const tableFor = (weightBits: number, activationBits: number, perAxis: boolean): TableRegistry => {
    const key = `${weightBits}/${activationBits}/${perAxis}`;
    let table = tables.get(key);
    if (!table) {
      table = createRegistry(schemeRows({ weight: weightQuantizer(weightBits), activation: activationQuantizer(activationBits, o.activationSymmetric), perAxis }));
      tables.set(key, table);
    }
    return table;
  };
  const base = tableFor(o.weightBits, o.activationBits, o.perAxis);
  const widthsOf = (layer: LayerDescriptor) => widthsFor(o, layer);
  const registry: QuantizeRegistry = Object.freeze({
    lookup(layer: LayerDescriptor) {
      const w = widthsOf(layer);
      const spec = tableFor(w.weightBits, w.activationBits, w.perAxis).lookup(layer);
      // A name (or RegExp) override can only be checked against the layers it meets.
      if (spec && w.perAxis && w.perAxisFrom !== undefined && !Object.values(spec.weights).some((r) => r.perAxis)) {
        throw new QatkitError(
          'INVALID_OPTION',
          `nbit: layers[${w.perAxisFrom}].perAxis: layer "${layer.name}" (class ${layer.className}) has no weights with output channels to quantize per axis (per-axis classes: ${channelClasses.join(', ')})`,
        );
      }
      return spec;
    },
    supportedLayers: () => base.supportedLayers(),
    explainMismatch: (layer: LayerDescriptor) => base.explainMismatch?.(layer),
  });
  return Object.freeze({
    name: schemeName(o),
    registry,
    fusions: DEFAULT_8BIT_FUSIONS,
    input: A8,
    ranges: Object.freeze({ emaDecay: o.emaDecay }),
    transforms: [],
    options: o,
    widthsOf,
  });
}
