import { QatkitError } from '@qatkit/core';

/**
 * A bounds verifier for the part of the TFLite schema that `readTflite` reads.
 *
 * The generated reader classes trust every offset: on a hostile or truncated file they read
 * past the end (getting zeros) or loop over a bogus 2^31-element vector. So every table,
 * vector and string the reader touches is checked here first, against field ids of
 * schema.fbs. Verified positions are memoised, so aliased structures cannot blow up the work.
 */

type Field =
  | { readonly kind: 'scalar'; readonly size: 1 | 2 | 4 | 8 }
  | { readonly kind: 'string' }
  | { readonly kind: 'vector'; readonly elemSize: 1 | 2 | 4 | 8 }
  | { readonly kind: 'table'; readonly spec: () => TableSpec }
  | { readonly kind: 'tables'; readonly spec: () => TableSpec };

interface TableSpec {
  readonly name: string;
  /** Field id (declaration order in schema.fbs) → layout. Only fields the reader uses. */
  readonly fields: Readonly<Record<number, Field>>;
}

const scalar = (size: 1 | 2 | 4 | 8): Field => ({ kind: 'scalar', size });
const vector = (elemSize: 1 | 2 | 4 | 8): Field => ({ kind: 'vector', elemSize });
const str: Field = { kind: 'string' };

const QUANTIZATION: TableSpec = {
  name: 'QuantizationParameters',
  fields: { 2: vector(4) /* scale */, 3: vector(8) /* zero_point */, 6: scalar(4) /* quantized_dimension */ },
};
/** A table whose fields are read later with their own bounds checks (builtin options); only its header is verified here. */
const OPAQUE: TableSpec = { name: 'table', fields: {} };
const TENSOR: TableSpec = {
  name: 'Tensor',
  fields: {
    0: vector(4) /* shape */,
    1: scalar(1) /* type */,
    2: scalar(4) /* buffer */,
    3: str /* name */,
    4: { kind: 'table', spec: () => QUANTIZATION },
    5: scalar(1) /* is_variable */,
    7: vector(4) /* shape_signature */,
  },
};
const OPERATOR: TableSpec = {
  name: 'Operator',
  fields: {
    0: scalar(4) /* opcode_index */,
    1: vector(4) /* inputs */,
    2: vector(4) /* outputs */,
    3: scalar(1) /* builtin_options_type */,
    4: { kind: 'table', spec: () => OPAQUE } /* builtin_options */,
    5: vector(1) /* custom_options */,
    8: vector(4) /* intermediates */,
  },
};
const SUBGRAPH: TableSpec = {
  name: 'SubGraph',
  fields: { 0: { kind: 'tables', spec: () => TENSOR }, 1: vector(4), 2: vector(4), 3: { kind: 'tables', spec: () => OPERATOR }, 4: str },
};
const OPERATOR_CODE: TableSpec = { name: 'OperatorCode', fields: { 0: scalar(1), 1: str, 2: scalar(4), 3: scalar(4) } };
const BUFFER: TableSpec = { name: 'Buffer', fields: { 0: vector(1), 1: scalar(8), 2: scalar(8) } };
const METADATA: TableSpec = { name: 'Metadata', fields: { 0: str /* name */, 1: scalar(4) /* buffer */ } };
const MODEL: TableSpec = {
  name: 'Model',
  fields: {
    0: scalar(4),
    1: { kind: 'tables', spec: () => OPERATOR_CODE },
    2: { kind: 'tables', spec: () => SUBGRAPH },
    3: str,
    4: { kind: 'tables', spec: () => BUFFER },
    6: { kind: 'tables', spec: () => METADATA },
  },
};

function malformed(message: string): never {
  throw new QatkitError('MALFORMED_MODEL', `not a valid TFLite model: ${message}`);
}

class Verifier {
  private readonly view: DataView;
  /** Verified positions per table spec (and per vector of tables): aliasing costs nothing twice. */
  private readonly seen = new Map<TableSpec | string, Set<number>>();

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(pos: number, size: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || pos + size > this.bytes.length) {
      malformed(`${what} at byte ${pos} (+${size}) lies outside the ${this.bytes.length}-byte file`);
    }
  }

  /** Follows a uoffset stored at `pos`. */
  private deref(pos: number, what: string): number {
    this.need(pos, 4, what);
    return pos + this.view.getUint32(pos, true);
  }

  private vectorLength(pos: number, elemSize: number, what: string): number {
    this.need(pos, 4, `${what} length`);
    // The reader views 4-byte vectors as typed arrays, which need aligned starts.
    if (elemSize >= 4 && pos % 4 !== 0) malformed(`${what} is not 4-byte aligned`);
    const n = this.view.getUint32(pos, true);
    this.need(pos + 4, n * elemSize, `${what} (${n} elements)`);
    return n;
  }

  private firstVisit(key: TableSpec | string, pos: number): boolean {
    let set = this.seen.get(key);
    if (!set) this.seen.set(key, (set = new Set()));
    if (set.has(pos)) return false;
    set.add(pos);
    return true;
  }

  table(pos: number, spec: TableSpec): void {
    if (!this.firstVisit(spec, pos)) return;
    this.need(pos, 4, spec.name);
    const vtable = pos - this.view.getInt32(pos, true);
    this.need(vtable, 4, `${spec.name} vtable`);
    const vtableSize = this.view.getUint16(vtable, true);
    const objectSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) malformed(`${spec.name} vtable has size ${vtableSize}`);
    this.need(vtable, vtableSize, `${spec.name} vtable`);
    this.need(pos, objectSize, spec.name);
    for (const [id, field] of Object.entries(spec.fields)) {
      const slot = 4 + 2 * Number(id);
      if (slot >= vtableSize) continue;
      const offset = this.view.getUint16(vtable + slot, true);
      if (offset === 0) continue;
      const size = field.kind === 'scalar' ? field.size : 4;
      if (offset + size > objectSize) malformed(`${spec.name} field ${id} overruns its table`);
      if (field.kind !== 'scalar') this.reference(this.deref(pos + offset, `${spec.name} field ${id}`), field, `${spec.name} field ${id}`);
    }
  }

  private reference(pos: number, field: Exclude<Field, { kind: 'scalar' }>, what: string): void {
    switch (field.kind) {
      case 'string':
        this.vectorLength(pos, 1, what);
        return;
      case 'vector':
        this.vectorLength(pos, field.elemSize, what);
        return;
      case 'table':
        this.table(pos, field.spec());
        return;
      case 'tables': {
        if (!this.firstVisit(what, pos)) return;
        const n = this.vectorLength(pos, 4, what);
        const spec = field.spec();
        for (let i = 0; i < n; i++) this.table(this.deref(pos + 4 + 4 * i, `${what}[${i}]`), spec);
      }
    }
  }
}

/** Throws QatkitError('MALFORMED_MODEL') unless `bytes` hold a TFLite model the reader can walk safely. */
export function verifyModel(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) malformed('expected a Uint8Array');
  if (bytes.length < 8) malformed(`only ${bytes.length} bytes`);
  const ident = String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!);
  if (ident !== 'TFL3') malformed(`file identifier is "${ident.replace(/[^\x20-\x7e]/g, '?')}", expected "TFL3"`);
  const verifier = new Verifier(bytes);
  const root = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  verifier.table(root, MODEL);
}
