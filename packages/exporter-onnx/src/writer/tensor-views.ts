import type { Graph, Tensor } from '@qatkit/core';
import { between, expandRank, permOf, permuteData, permuteShape, type Layout } from './layout.js';
import type { OnnxBuilder, OnnxType } from './onnx-builder.js';

/**
 * The ONNX values that stand for each IR tensor. A quantized tensor is stored as its integer
 * tensor (the output of a QuantizeLinear, a model input or an initializer) and read by float ops
 * through one DequantizeLinear per layout: the QDQ form onnxruntime fuses. A float tensor is stored
 * as itself. Other layouts are made on first use: a Transpose of the stored integer tensor, or, for
 * constants, the data permuted at export time.
 */
export class TensorViews {
  private readonly stored = new Map<string, Map<Layout, string>>();
  private readonly floats = new Map<string, string>();
  private readonly params = new Map<string, readonly [string, string]>();
  /** How to make a model input's view in another layout: from the raw input, before its type conversion. */
  private readonly makers = new Map<string, (layout: Layout) => string>();
  private readonly inputLayouts = new Map<string, Layout>();

  constructor(
    private readonly graph: Graph,
    private readonly b: OnnxBuilder,
    /** Tensors stored in a narrower ONNX type than their IR dtype (INT4/UINT4). */
    private readonly narrow: ReadonlyMap<string, OnnxType> = new Map(),
  ) {}

  /** The ONNX element type `name` is stored as: its IR dtype, or INT4/UINT4 for a narrow one. */
  typeOf(name: string): OnnxType {
    return this.narrow.get(name) ?? (this.tensor(name).dtype as OnnxType);
  }

  private tensor(name: string): Tensor {
    return this.graph.tensors[name]!;
  }

  /** Records that ONNX value `value` holds IR tensor `name` in `layout`. */
  store(name: string, layout: Layout, value: string): void {
    const views = this.stored.get(name) ?? new Map<Layout, string>();
    views.set(layout, value);
    this.stored.set(name, views);
  }

  /** Registers how the views of model input `name` (given in `layout`) are made: on first use, once per layout. */
  storeInput(name: string, layout: Layout, maker: (layout: Layout) => string): void {
    this.makers.set(name, maker);
    this.inputLayouts.set(name, layout);
  }

  /** The layout a computed tensor was first stored in; constants are in whatever layout is asked. */
  layoutOf(name: string): Layout {
    return this.inputLayouts.get(name) ?? this.stored.get(name)?.keys().next().value ?? 'ir';
  }

  isConstant(name: string): boolean {
    return this.tensor(name).data !== undefined;
  }

  /** Scale and zero point of a per-tensor quantized tensor, as scalar initializers (`type` and `shift`: the zero point of the model's I/O type). */
  qparams(name: string, type: OnnxType = this.typeOf(name), shift = 0): readonly [string, string] {
    const key = `${name}\0${type}`;
    const known = this.params.get(key);
    if (known) return known;
    const q = this.tensor(name).quantization!;
    const suffix = shift === 0 ? '' : `_${type}`;
    const pair = [
      this.b.initializer(`${name}:scale${suffix}`, 'float32', [], [q.scale[0]!]),
      this.b.initializer(`${name}:zero_point${suffix}`, type, [], [q.zeroPoint[0]! + shift]),
    ] as const;
    this.params.set(key, pair);
    return pair;
  }

  /** The stored (integer or float) value of `name` in `layout`; a Transpose made here writes `exact` when given (a model output). */
  view(name: string, layout: Layout, exact?: string): string {
    const views = this.stored.get(name) ?? new Map<Layout, string>();
    const have = views.get(layout);
    if (have !== undefined) return have;
    const t = this.tensor(name);
    let value: string;
    const maker = this.makers.get(name);
    if (maker) {
      value = maker(layout);
    } else if (t.data) {
      // A constant broadcast against NCHW data needs rank 4 first (numpy rules align trailing dims).
      const shape = layout === 'nchw' ? expandRank(t.shape, 4) : [...t.shape];
      const perm = permOf(layout, shape.length);
      value = this.b.initializer(layout === 'ir' ? name : `${name}:${layout}`, this.typeOf(name), permuteShape(shape, perm), permuteData(t.data, shape, perm));
    } else {
      const [from, source] = views.entries().next().value!;
      const perm = between(permOf(from, t.shape.length), permOf(layout, t.shape.length));
      value = this.b.node('Transpose', [source], exact ?? `${name}:${layout === 'ir' ? 'nhwc' : layout}`, { perm: { ints: perm } });
    }
    this.store(name, layout, value);
    return value;
  }

  /** The float32 value of `name` in `layout`: the view itself, or a DequantizeLinear of it (made once). */
  float(name: string, layout: Layout): string {
    const t = this.tensor(name);
    if (!t.quantization) return this.view(name, layout);
    const key = `${name}\0${layout}`;
    const known = this.floats.get(key);
    if (known !== undefined) return known;
    const value = this.b.node('DequantizeLinear', [this.view(name, layout), ...this.qparams(name)], `${this.view(name, layout)}:dq`);
    this.floats.set(key, value);
    return value;
  }

  /**
   * A weight or bias: its data permuted by `perm` (IR dims → ONNX dims) as an initializer; when
   * quantized, followed by a DequantizeLinear along the permuted axis for per-axis scales.
   */
  weights(name: string, perm: readonly number[] = [], asShape?: readonly number[]): string {
    const t = this.tensor(name);
    const from = asShape ?? t.shape;
    const order = perm.length === from.length ? perm : permOf('ir', from.length);
    // Read as `asShape` (same axis 0), the data is permuted but keeps the tensor's own shape.
    const shape = asShape ? [...t.shape] : permuteShape(t.shape, order);
    const permuted = permuteData(t.data!, from, order);
    const q = t.quantization;
    const data = this.b.initializer(name, this.typeOf(name), shape, permuted);
    if (!q) return data;
    const perAxis = q.scale.length > 1;
    const n = perAxis ? [q.scale.length] : [];
    const scale = this.b.initializer(`${name}:scale`, 'float32', n, q.scale);
    const zero = this.b.initializer(`${name}:zero_point`, this.typeOf(name), n, q.zeroPoint);
    const attrs = perAxis ? { axis: { i: asShape ? (q.axis ?? 0) : order.indexOf(q.axis ?? 0) } } : {};
    return this.b.node('DequantizeLinear', [data, scale, zero], `${name}:dq`, attrs);
  }
}
