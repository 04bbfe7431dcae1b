import onnxProto from 'onnx-proto';
import { packNibbles } from './storage-types.js';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;
type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** Element types this exporter writes, and their ONNX TensorProto.DataType numbers. */
export type OnnxType = 'float32' | 'int8' | 'uint8' | 'int16' | 'int32' | 'int64' | 'int4' | 'uint4';
const DataType = onnx.TensorProto.DataType;
export const ONNX_TYPE: Readonly<Record<OnnxType, number>> = {
  float32: DataType.FLOAT,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
  int16: DataType.INT16,
  int32: DataType.INT32,
  int64: DataType.INT64,
  // onnx-proto's onnx.proto predates the 4-bit types (IR version 10): UINT4 = 21, INT4 = 22 in onnx.proto.
  uint4: 21,
  int4: 22,
};

/** An attribute value, tagged with its ONNX attribute type (a JS number cannot say int or float). */
export type Attr = { readonly i: number } | { readonly f: number } | { readonly ints: readonly number[] } | { readonly floats: readonly number[] } | { readonly s: string };
export type Attrs = Readonly<Record<string, Attr | undefined>>;

const AttrType = onnx.AttributeProto.AttributeType;

function attribute(name: string, a: Attr): AttributeProto {
  if ('i' in a) return { name, type: AttrType.INT, i: a.i };
  if ('f' in a) return { name, type: AttrType.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: AttrType.INTS, ints: [...a.ints] };
  if ('floats' in a) return { name, type: AttrType.FLOATS, floats: [...a.floats] };
  return { name, type: AttrType.STRING, s: new TextEncoder().encode(a.s) };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ARRAY_OF = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array } as const;

/** Little-endian bytes of `values` as `type` (ONNX raw_data is little-endian on every host). */
function rawBytes(type: OnnxType, values: ArrayLike<number>): Uint8Array {
  if (type === 'int4' || type === 'uint4') return packNibbles(values);
  if (LITTLE_ENDIAN && type !== 'int64') {
    // A typed-array copy converts exactly as DataView's setters do, but in bulk: a per-element
    // DataView loop was the hottest line of a MobileNetV2 export (~40% of 400 ms, issue 9).
    const typed = new ARRAY_OF[type](values);
    return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  }
  const size = { float32: 4, int8: 1, uint8: 1, int16: 2, int32: 4, int64: 8 }[type];
  const view = new DataView(new ArrayBuffer(values.length * size));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (type === 'float32') view.setFloat32(i * 4, v, true);
    else if (type === 'int8') view.setInt8(i, v);
    else if (type === 'uint8') view.setUint8(i, v);
    else if (type === 'int16') view.setInt16(i * 2, v, true);
    else if (type === 'int32') view.setInt32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  }
  return new Uint8Array(view.buffer);
}

export interface ValueInfo {
  readonly name: string;
  readonly type: OnnxType;
  readonly shape: readonly number[];
}

function valueInfo(v: ValueInfo): ValueInfoProto {
  return { name: v.name, type: { tensorType: { elemType: ONNX_TYPE[v.type], shape: { dim: v.shape.map((d) => ({ dimValue: d })) } } } };
}

/**
 * Collects nodes and initializers in the order they are added (ONNX wants nodes topologically
 * sorted; the writer adds each node after its inputs exist) and encodes the model with the
 * protobufjs code generated from the official onnx.proto (the `onnx-proto` package). Names are
 * unique: a clash gets a numeric suffix, always the same one for the same graph, so the bytes are
 * deterministic.
 */
export class OnnxBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly values = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** Names kept for the model's inputs and outputs: only `node(..., exact)` may write them. */
  private readonly reserved = new Set<string>();

  reserve(name: string): void {
    this.reserved.add(name);
    this.values.add(name);
  }

  /** Claims a value name; `base` itself when free. */
  name(base: string): string {
    let n = base;
    for (let i = 1; this.values.has(n); i++) n = `${base}_${i}`;
    this.values.add(n);
    return n;
  }

  /** Adds a node writing one output named from `out` (claimed here); returns that name. '' marks an omitted optional input. */
  node(opType: string, inputs: readonly string[], out: string, attrs: Attrs = {}, nodeName = out): string {
    const output = this.reserved.delete(out) ? out : this.name(out);
    let name = nodeName;
    for (let i = 1; this.nodeNames.has(name); i++) name = `${nodeName}_${i}`;
    this.nodeNames.add(name);
    const attribute_ = Object.entries(attrs).flatMap(([k, a]) => (a === undefined ? [] : [attribute(k, a)]));
    this.nodes.push({ name, opType, input: [...inputs], output: [output], attribute: attribute_ });
    return output;
  }

  /**
   * Gives the newest node's output the name `to` (a reserved model output, or a fresh name) when
   * that node wrote `from`; returns the new name, or undefined when the newest node wrote something else.
   */
  renameLast(from: string, to: string): string | undefined {
    const last = this.nodes[this.nodes.length - 1];
    if (!last?.output || last.output[0] !== from) return undefined;
    this.values.delete(from);
    last.output[0] = this.reserved.delete(to) ? to : this.name(to);
    return last.output[0];
  }

  /** Adds a constant; returns its (claimed) name. */
  initializer(base: string, type: OnnxType, shape: readonly number[], values: ArrayLike<number>): string {
    const name = this.name(base);
    this.initializers.push({ name, dataType: ONNX_TYPE[type], dims: [...shape], rawData: rawBytes(type, values) });
    return name;
  }

  encode(meta: { graphName: string; opset: number; irVersion: number; docString: string; inputs: ValueInfo[]; outputs: ValueInfo[] }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: meta.irVersion,
      producerName: 'qatkit',
      docString: meta.docString,
      opsetImport: [{ domain: '', version: meta.opset }],
      graph: {
        name: meta.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: meta.inputs.map(valueInfo),
        output: meta.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
