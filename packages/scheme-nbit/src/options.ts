import { QatkitError, type LayerDescriptor } from '@qatkit/core';

/** Which layers an override applies to; when both are given, both must match. */
export interface LayerMatch {
  /** The layer's name (its path inside nested models): equal to a string, or tested by a RegExp. */
  readonly name?: string | RegExp;
  /** The layer's class, e.g. `Conv2D`. */
  readonly className?: string;
}

/** Bit widths (and per-axis weights) for some layers, instead of the scheme-wide ones. */
export interface LayerOverride {
  readonly match: LayerMatch;
  readonly weightBits?: number;
  readonly activationBits?: number;
  readonly perAxis?: boolean;
}

export interface NbitOptions {
  /** Conv/dense kernels: 2–8 bits, symmetric narrow range (4 bits: [-7, 7]). Default 8. */
  readonly weightBits?: number;
  /** Learned activation outputs: 2–8 bits. Default 8. */
  readonly activationBits?: number;
  /** Only `true`: TFLite's int8 kernels take weights with zero point 0. */
  readonly weightSymmetric?: boolean;
  /** Symmetric activations have zero point 0 (levels [-2^(n-1), 2^(n-1) - 1]). Default false. */
  readonly activationSymmetric?: boolean;
  /** Per-output-channel conv kernels (default true), or per tensor. Dense is always per tensor. */
  readonly perAxis?: boolean;
  /** Per-layer widths; every matching entry applies in order, so later entries win field by field. */
  readonly layers?: readonly LayerOverride[];
  /** EMA decay of activation ranges, as default8bit's. Default 0.99. */
  readonly emaDecay?: number;
}

/** The widths one layer gets once the overrides are applied. */
export interface LayerWidths {
  readonly weightBits: number;
  readonly activationBits: number;
  readonly perAxis: boolean;
  /** Index of the last override that set `perAxis` explicitly, for error messages. */
  readonly perAxisFrom?: number;
}

export interface ResolvedOptions extends Omit<Required<NbitOptions>, 'layers'> {
  readonly layers: readonly LayerOverride[];
}

const KEYS = ['weightBits', 'activationBits', 'weightSymmetric', 'activationSymmetric', 'perAxis', 'layers', 'emaDecay'];
const OVERRIDE_KEYS = ['match', 'weightBits', 'activationBits', 'perAxis'];

function invalid(message: string): never {
  throw new QatkitError('INVALID_OPTION', message);
}

function checkBits(value: unknown, option: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2 || value > 8) {
    invalid(`nbit: ${option} must be an integer from 2 to 8 (TFLite stores them in int8 tensors), got ${String(value)}`);
  }
}

function checkBoolean(value: unknown, option: string): void {
  if (value !== undefined && typeof value !== 'boolean') invalid(`nbit: ${option} must be true or false, got ${String(value)}`);
}

function checkKeys(object: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) invalid(`nbit: unknown option ${where}${key} (options: ${allowed.join(', ')})`);
  }
}

/** A RegExp without the global/sticky flags, whose `test` would otherwise depend on earlier calls. */
function stateless(name: string | RegExp | undefined): string | RegExp | undefined {
  return name instanceof RegExp ? new RegExp(name.source, name.flags.replace(/[gy]/g, '')) : name;
}

/**
 * Options with defaults filled in, checked completely: a wrong value throws INVALID_OPTION naming
 * the option (`layers[1].activationBits`), at construction rather than deep inside training.
 * `classes` are the layer classes the table knows; `channelClasses` those whose weights can be
 * quantized per channel.
 */
export function resolveOptions(options: NbitOptions, classes: readonly string[], channelClasses: readonly string[]): ResolvedOptions {
  checkKeys(options, KEYS, '');
  const { weightBits = 8, activationBits = 8, weightSymmetric = true, activationSymmetric = false, perAxis = true, layers = [], emaDecay = 0.99 } = options;
  checkBits(weightBits, 'weightBits');
  checkBits(activationBits, 'activationBits');
  checkBoolean(weightSymmetric, 'weightSymmetric');
  checkBoolean(activationSymmetric, 'activationSymmetric');
  checkBoolean(perAxis, 'perAxis');
  if (!weightSymmetric) invalid('nbit: weightSymmetric: false is not supported: TFLite (and the int8 kernels n-bit weights run on) takes weights with zero point 0 only');
  if (typeof emaDecay !== 'number' || !(emaDecay > 0 && emaDecay < 1)) invalid(`nbit: emaDecay must be in (0, 1), got ${String(emaDecay)}`);
  if (!Array.isArray(layers)) invalid('nbit: layers must be an array of { match, weightBits?, activationBits?, perAxis? }');
  const resolved = layers.map((o: LayerOverride, i): LayerOverride => {
    const at = `layers[${i}]`;
    if (typeof o !== 'object' || o === null) invalid(`nbit: ${at} must be an object { match, weightBits?, activationBits?, perAxis? }`);
    checkKeys(o, OVERRIDE_KEYS, `${at}.`);
    const m = o.match as LayerMatch | undefined;
    if (typeof m !== 'object' || m === null || (m.name === undefined && m.className === undefined)) invalid(`nbit: ${at}.match needs a name (string or RegExp) or a className`);
    checkKeys(m, ['name', 'className'], `${at}.match.`);
    if (m.name !== undefined && typeof m.name !== 'string' && !(m.name instanceof RegExp)) invalid(`nbit: ${at}.match.name must be a string or a RegExp`);
    if (m.className !== undefined && !classes.includes(m.className)) {
      invalid(`nbit: ${at}.match.className "${String(m.className)}" is not a layer class the scheme quantizes (${classes.join(', ')})`);
    }
    checkBits(o.weightBits, `${at}.weightBits`);
    checkBits(o.activationBits, `${at}.activationBits`);
    checkBoolean(o.perAxis, `${at}.perAxis`);
    if (o.perAxis === true && m.className !== undefined && !channelClasses.includes(m.className)) {
      invalid(`nbit: ${at}.perAxis: layers of class ${m.className} have no weights with output channels to quantize per axis (per-axis classes: ${channelClasses.join(', ')})`);
    }
    const name = stateless(m.name);
    return { ...o, match: { ...(name === undefined ? {} : { name }), ...(m.className === undefined ? {} : { className: m.className }) } };
  });
  return { weightBits, activationBits, weightSymmetric, activationSymmetric, perAxis, layers: resolved, emaDecay };
}

export function matches(match: LayerMatch, layer: LayerDescriptor): boolean {
  if (match.className !== undefined && match.className !== layer.className) return false;
  if (match.name === undefined) return true;
  return typeof match.name === 'string' ? match.name === layer.name : match.name.test(layer.name);
}

/** The widths `layer` gets: the scheme-wide ones, then every matching override in order. */
export function widthsFor(options: ResolvedOptions, layer: LayerDescriptor): LayerWidths {
  let widths: LayerWidths = { weightBits: options.weightBits, activationBits: options.activationBits, perAxis: options.perAxis };
  options.layers.forEach((o, i) => {
    if (!matches(o.match, layer)) return;
    widths = {
      weightBits: o.weightBits ?? widths.weightBits,
      activationBits: o.activationBits ?? widths.activationBits,
      perAxis: o.perAxis ?? widths.perAxis,
      ...(o.perAxis !== undefined ? { perAxisFrom: i } : widths.perAxisFrom !== undefined ? { perAxisFrom: widths.perAxisFrom } : {}),
    };
  });
  return widths;
}
