import type { FusedActivation, Graph, Op, OpKind, Padding } from '@qatkit/core';
import type { Layout } from './layout.js';
import type { Attrs, OnnxBuilder } from './onnx-builder.js';
import type { OpsetFeatures } from './opsets.js';
import type { FoldedPad } from './fold-pads.js';
import type { TensorViews } from './tensor-views.js';

/** What an op's emitter produces: the float32 value of its output and the layout it is in. */
export interface Emitted {
  readonly value: string;
  readonly layout: Layout;
  /**
   * The IR shape to reshape to after the QuantizeLinear (for a value whose ONNX op keeps dims the
   * IR drops): the reshape then runs on the stored integers, outside the fusable QDQ unit.
   */
  readonly reshapeTo?: readonly number[];
}

/** The writer's services for one op. Emitters write float ops only; the writer adds the QuantizeLinear. */
export class EmitContext<K extends OpKind> {
  constructor(
    readonly op: Op<K>,
    readonly graph: Graph,
    readonly features: OpsetFeatures,
    private readonly b: OnnxBuilder,
    private readonly views: TensorViews,
    /** A Pad folded into this convolution: input 0 is read from before it, its pads added to the op's. */
    readonly fold?: FoldedPad,
  ) {}

  get attrs(): Op<K>['attrs'] {
    return this.op.attrs;
  }

  /** IR shape of input `i` (or of the output for 'out'). */
  shape(i: number | 'out'): readonly number[] {
    return this.graph.tensors[i === 'out' ? this.op.outputs[0]! : this.op.inputs[i]!]!.shape;
  }

  hasInput(i: number): boolean {
    return this.op.inputs[i] !== undefined;
  }

  isConstant(i: number): boolean {
    return this.views.isConstant(this.op.inputs[i]!);
  }

  /** The layout input `i` is stored in. */
  layoutOf(i: number): Layout {
    return this.views.layoutOf(this.op.inputs[i]!);
  }

  /** Input `i` as float32 in `layout`. */
  input(i: number, layout: Layout): string {
    return this.views.float(i === 0 && this.fold ? this.fold.source : this.op.inputs[i]!, layout);
  }

  /** Constant input `i` (weights, bias) with its dims taken in the order `perm` (of `asShape`, when its data is read as that shape). */
  weights(i: number, perm: readonly number[] = [], asShape?: readonly number[]): string {
    return this.views.weights(this.op.inputs[i]!, perm, asShape);
  }

  /** An int64 vector constant (shapes, pads, axes). */
  int64s(what: string, values: readonly number[]): string {
    return this.b.initializer(`${this.op.name}:${what}`, 'int64', [values.length], values);
  }

  floatScalar(what: string, value: number): string {
    return this.b.initializer(`${this.op.name}:${what}`, 'float32', [], [value]);
  }

  node(opType: string, inputs: readonly string[], attrs: Attrs = {}): string {
    return this.b.node(opType, inputs, `${this.op.name}/${opType}`, attrs, `${this.op.name}/${opType}`);
  }

  /** Whether the op's output is stored as INT4/UINT4 (onnxruntime mishandles some QDQ units around those). */
  narrowOutput(): boolean {
    const type = this.views.typeOf(this.op.outputs[0]!);
    return type === 'int4' || type === 'uint4';
  }

  /** The op's fused activation on `value`: Relu, or Clip to [0, 6] (onnxruntime folds either into the following Q when the zero point is the type's minimum). */
  activate(value: string, activation: FusedActivation): string {
    if (activation === 'none') return value;
    // onnxruntime 1.30's ClipQuantFusion throws on a QuantizeLinear with an INT4 zero point after a
    // Relu/Clip ("Unexpected data type for QuantizeLinear input y_zero_point of 22"); Max/Min clamp
    // the same way and are not matched by it (no 4-bit QDQ unit fuses anyway).
    if (this.narrowOutput()) {
      const low = this.node('Max', [value, this.floatScalar('clip_min', 0)]);
      return activation === 'relu' ? low : this.node('Min', [low, this.floatScalar('clip_max', 6)]);
    }
    if (activation === 'relu') return this.node('Relu', [value]);
    return this.node('Clip', [value, this.floatScalar('clip_min', 0), this.floatScalar('clip_max', 6)]);
  }
}

/** One IR op kind as ONNX: the operators it becomes (documentation and tests) and how to write them. */
export interface OpRule<K extends OpKind> {
  readonly onnx: readonly string[];
  /** Input slots that must be constants (weights, bias): the only ones that may be quantized per axis. */
  readonly weights?: readonly number[];
  emit(c: EmitContext<K>): Emitted;
}

/** Explicit [top, left, bottom, right] pads of a windowed op (TF's SAME puts the odd pixel at the end), plus a folded Pad's. */
export function spatialPads(c: EmitContext<OpKind>, kernel: readonly number[], strides: readonly number[], dilations: readonly number[], padding: Padding): number[] {
  if (padding === 'valid') return [...(c.fold?.pads ?? [0, 0, 0, 0])];
  const [, h, w] = c.shape(0);
  const [, oh, ow] = c.shape('out');
  const total = (len: number, out: number, k: number, s: number, d: number) => Math.max((out - 1) * s + (k - 1) * d + 1 - len, 0);
  const th = total(h!, oh!, kernel[0]!, strides[0]!, dilations[0]!);
  const tw = total(w!, ow!, kernel[1]!, strides[1]!, dilations[1]!);
  const own = [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
  return own.map((v, i) => v + (c.fold?.pads[i] ?? 0));
}
