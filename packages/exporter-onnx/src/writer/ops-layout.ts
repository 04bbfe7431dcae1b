import { consumersOf, type OpKind } from '@qatkit/core';
import { between, normalizeAxis, onnxAxis, permOf, type Layout } from './layout.js';
import type { EmitContext, Emitted, OpRule } from './op-rule.js';

/** Ops that move data between positions: their axes are mapped to the layout the input is stored in. */

function reduce(opType: 'ReduceMean' | 'ReduceMax'): OpRule<'Mean' | 'ReduceMax'> {
  const global = opType === 'ReduceMean' ? 'GlobalAveragePool' : 'GlobalMaxPool';
  return {
    onnx: [`${global} over H and W of an image (onnxruntime fuses QLinearGlobalAveragePool)`, `${opType} otherwise`],
    emit(c): Emitted {
      const { axes, keepDims } = c.attrs;
      const rank = c.shape(0).length;
      const ir = axes.map((a) => normalizeAxis(a, rank));
      if (rank === 4 && ir.length === 2 && ir.includes(1) && ir.includes(2)) {
        // [N, C, 1, 1] is the NCHW form of the kept-dims result; without keepDims it becomes [N, C] after the Q.
        const y = c.node(global, [c.input(0, 'nchw')]);
        return { value: y, layout: 'nchw', ...(keepDims ? {} : { reshapeTo: c.shape('out') }) };
      }
      // Without keepdims, the dims left must come out in the IR's order; else reduce in the IR's order.
      const kept = permOf(c.layoutOf(0), rank).filter((d) => !ir.includes(d));
      const layout: Layout = keepDims || kept.every((d, i) => i === 0 || d > kept[i - 1]!) ? c.layoutOf(0) : 'ir';
      const onnxAxes = ir.map((a) => onnxAxis(a, layout, rank)).sort((x, y) => x - y);
      const x = c.input(0, layout);
      const keep = { keepdims: { i: keepDims ? 1 : 0 } };
      const y = c.features.reduceAxesInput
        ? c.node(opType, [x, c.int64s('axes', onnxAxes)], keep)
        : c.node(opType, [x], { ...keep, axes: { ints: onnxAxes } });
      return { value: y, layout: keepDims ? layout : 'ir' };
    },
  };
}

function resize(mode: 'nearest' | 'linear'): OpRule<'ResizeNearestNeighbor' | 'ResizeBilinear'> {
  return {
    onnx: [`Resize (mode ${mode})`],
    emit(c) {
      const { alignCorners, halfPixelCenters } = c.attrs;
      const [n, oh, ow, ch] = c.shape('out');
      // TF's coordinate rules: half-pixel nearest is floor((x + 0.5)·scale), which is ONNX's
      // half_pixel with round_prefer_ceil; align-corners nearest rounds half up.
      const transform = alignCorners ? 'align_corners' : halfPixelCenters ? 'half_pixel' : 'asymmetric';
      const nearest = alignCorners || halfPixelCenters ? 'round_prefer_ceil' : 'floor';
      const y = c.node('Resize', [c.input(0, 'nchw'), '', '', c.int64s('sizes', [n!, ch!, oh!, ow!])], {
        mode: { s: mode },
        coordinate_transformation_mode: { s: transform },
        ...(mode === 'nearest' ? { nearest_mode: { s: nearest } } : {}),
      });
      return { value: y, layout: 'nchw' };
    },
  };
}

const allRank4 = (c: EmitContext<OpKind>) => c.op.inputs.every((_, i) => c.shape(i).length === 4);

type LayoutKind = 'Reshape' | 'Concatenation' | 'Mean' | 'ReduceMax' | 'Pad' | 'Slice' | 'ResizeNearestNeighbor' | 'ResizeBilinear' | 'Transpose';

export const LAYOUT_OPS: { readonly [K in LayoutKind]: OpRule<K> } = {
  Reshape: {
    onnx: ['Reshape (in the IR order: a Transpose first when the input is NCHW, unless only Dense layers read the flattened result)'],
    emit(c) {
      const [n, features] = c.shape('out');
      const out = c.op.outputs[0]!;
      const readers = consumersOf(c.graph, out);
      const flattenForFc =
        c.layoutOf(0) === 'nchw' && c.shape('out').length === 2 && n === c.shape(0)[0] && !c.graph.outputs.includes(out) &&
        readers.length > 0 && readers.every((r) => r.kind === 'FullyConnected' && r.inputs[0] === out && !r.inputs.slice(1).includes(out));
      const layout: Layout = flattenForFc ? 'nchw' : 'ir';
      const value = c.node('Reshape', [c.input(0, layout), c.int64s('shape', flattenForFc ? [n!, features!] : c.shape('out'))]);
      return { value, layout: flattenForFc ? 'nchw-flat' : 'ir' };
    },
  },
  Concatenation: {
    onnx: ['Concat'],
    emit(c) {
      const rank = c.shape(0).length;
      const first = c.op.inputs.findIndex((_, i) => !c.isConstant(i));
      const layout: Layout = allRank4(c) && first >= 0 ? c.layoutOf(first) : 'ir';
      const y = c.node('Concat', c.op.inputs.map((_, i) => c.input(i, layout)), { axis: { i: onnxAxis(c.attrs.axis, layout, rank) } });
      return { value: c.activate(y, c.attrs.activation), layout };
    },
  },
  Mean: reduce('ReduceMean'),
  ReduceMax: reduce('ReduceMax'),
  Pad: {
    onnx: ['Pad (constant 0)'],
    emit(c) {
      const layout = c.layoutOf(0);
      const perm = permOf(layout, c.shape(0).length);
      const p = c.attrs.paddings;
      const pads = [...perm.map((d) => p[d]![0]), ...perm.map((d) => p[d]![1])];
      return { value: c.node('Pad', [c.input(0, layout), c.int64s('pads', pads), c.floatScalar('value', 0)]), layout };
    },
  },
  Slice: {
    onnx: ['Slice'],
    emit(c) {
      const layout = c.layoutOf(0);
      const shape = c.shape(0);
      const perm = permOf(layout, shape.length);
      const { begin, size } = c.attrs;
      const starts = perm.map((d) => begin[d]!);
      const ends = perm.map((d) => (size[d] === -1 ? shape[d]! : begin[d]! + size[d]!));
      const y = c.node('Slice', [c.input(0, layout), c.int64s('starts', starts), c.int64s('ends', ends), c.int64s('axes', perm.map((_, i) => i))]);
      return { value: y, layout };
    },
  },
  ResizeNearestNeighbor: resize('nearest'),
  ResizeBilinear: resize('linear'),
  Transpose: {
    onnx: ['Transpose (the IR permutation composed with the layouts)'],
    emit(c) {
      const rank = c.shape(0).length;
      const from = c.layoutOf(0);
      const to: Layout = rank === 4 ? from : 'ir';
      // ONNX dim i of the output is IR output dim permOf(to)[i] = IR input dim perm[that].
      const wanted = permOf(to, rank).map((d) => c.attrs.perm[d]!);
      const y = c.node('Transpose', [c.input(0, from)], { perm: { ints: between(permOf(from, rank), wanted) } });
      return { value: y, layout: to };
    },
  },
};
