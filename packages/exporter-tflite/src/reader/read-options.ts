import { QatkitError } from '@qatkit/core';
import { BUILTIN_OPTIONS, OPTION_ENUMS, type OptionField } from './option-fields.js';
import type { TfliteOptionValue } from './summary.js';

function malformed(message: string): never {
  throw new QatkitError('MALFORMED_MODEL', `not a valid TFLite model: ${message}`);
}

const SCALAR_SIZE: Readonly<Record<string, number>> = {
  bool: 1, byte: 1, ubyte: 1, int8: 1, uint8: 1,
  short: 2, ushort: 2, int16: 2, uint16: 2,
  int: 4, uint: 4, int32: 4, uint32: 4, float: 4, float32: 4,
  long: 8, ulong: 8, int64: 8, uint64: 8, double: 8, float64: 8,
};

/** A flatbuffer table read with a bounds check on every access (options tables are not pre-verified). */
class BoundedTable {
  private readonly vtable: number;
  private readonly vtableSize: number;
  private readonly objectSize: number;

  constructor(
    private readonly view: DataView,
    private readonly pos: number,
    private readonly what: string,
  ) {
    this.need(pos, 4);
    this.vtable = pos - view.getInt32(pos, true);
    this.need(this.vtable, 4);
    this.vtableSize = view.getUint16(this.vtable, true);
    this.objectSize = view.getUint16(this.vtable + 2, true);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) malformed(`${what} vtable has size ${this.vtableSize}`);
    this.need(this.vtable, this.vtableSize);
    this.need(pos, this.objectSize);
  }

  private need(at: number, size: number): void {
    if (!Number.isInteger(at) || at < 0 || at + size > this.view.byteLength) {
      malformed(`${this.what} at byte ${at} (+${size}) lies outside the ${this.view.byteLength}-byte file`);
    }
  }

  /** Absolute position of field `id`, or 0 when absent; checks the field fits its table. */
  field(id: number, size: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return 0;
    const offset = this.view.getUint16(this.vtable + slot, true);
    if (offset === 0) return 0;
    if (offset + size > this.objectSize) malformed(`${this.what} field ${id} overruns its table`);
    return this.pos + offset;
  }

  scalar(type: string, at: number): number | boolean {
    const v = this.view;
    switch (type) {
      case 'bool': return v.getUint8(at) !== 0;
      case 'byte': case 'int8': return v.getInt8(at);
      case 'ubyte': case 'uint8': return v.getUint8(at);
      case 'short': case 'int16': return v.getInt16(at, true);
      case 'ushort': case 'uint16': return v.getUint16(at, true);
      case 'int': case 'int32': return v.getInt32(at, true);
      case 'uint': case 'uint32': return v.getUint32(at, true);
      case 'float': case 'float32': return v.getFloat32(at, true);
      case 'double': case 'float64': return v.getFloat64(at, true);
      case 'long': case 'int64': return Number(v.getBigInt64(at, true));
      default: return Number(v.getBigUint64(at, true));
    }
  }

  /** Start and length of the vector (or string) the uoffset at `at` points to. */
  vector(at: number, elemSize: number, budget: { left: number }): [start: number, length: number] {
    const pos = at + this.view.getUint32(at, true);
    this.need(pos, 4);
    const n = this.view.getUint32(pos, true);
    this.need(pos + 4, n * elemSize);
    budget.left -= n;
    if (budget.left < 0) malformed('structures are aliased beyond the size of the file');
    return [pos + 4, n];
  }

  text(start: number, length: number): string {
    return new TextDecoder('utf-8').decode(new Uint8Array(this.view.buffer, this.view.byteOffset + start, length));
  }
}

function enumName(type: string, value: number): string | number {
  return OPTION_ENUMS[type]?.names[value] ?? value;
}

function readField(table: BoundedTable, field: OptionField, budget: { left: number }): TfliteOptionValue | undefined {
  const [, type, defaultValue, id] = field;
  const base = OPTION_ENUMS[type]?.base ?? type;
  if (SCALAR_SIZE[base] !== undefined) {
    const at = table.field(id, SCALAR_SIZE[base]);
    const raw = at === 0 ? defaultValue : table.scalar(base, at);
    return OPTION_ENUMS[type] ? enumName(type, Number(raw)) : raw;
  }
  const vectorOf = /^\[(\w+)\]$/.exec(type)?.[1];
  if (vectorOf !== undefined && SCALAR_SIZE[vectorOf] !== undefined) {
    const at = table.field(id, 4);
    if (at === 0) return undefined;
    const size = SCALAR_SIZE[vectorOf];
    const [start, n] = table.vector(at, size, budget);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(Number(table.scalar(vectorOf, start + i * size)));
    return out;
  }
  if (type === 'string') {
    const at = table.field(id, 4);
    if (at === 0) return undefined;
    const [start, n] = table.vector(at, 1, budget);
    return table.text(start, n);
  }
  return undefined; // nested tables and unions (StableHLO options): not decoded
}

/**
 * Decodes an operator's builtin options from the table at `pos` (an absolute position in `view`),
 * given the BuiltinOptions union type. Every field of schema.fbs is returned, with its default when
 * the file omits it. Unknown union types (a newer schema) give `{ optionsType: 'UNKNOWN_<n>' }`.
 */
export function readBuiltinOptions(
  view: DataView,
  unionType: number,
  pos: number,
  budget: { left: number },
): { optionsType: string; options: Record<string, TfliteOptionValue> } {
  const spec = BUILTIN_OPTIONS[unionType];
  if (!spec) return { optionsType: `UNKNOWN_${unionType}`, options: {} };
  const table = new BoundedTable(view, pos, spec.name);
  const options: Record<string, TfliteOptionValue> = {};
  for (const field of spec.fields) {
    const value = readField(table, field, budget);
    if (value !== undefined) options[field[0]] = value;
  }
  return { optionsType: spec.name, options };
}
