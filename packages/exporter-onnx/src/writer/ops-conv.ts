import { producerOf, type OpKind } from '@qatkit/core';
import { spatialPads, type EmitContext, type OpRule } from './op-rule.js';

/** Weighted and windowed ops, written channel-first (NCHW) as ONNX wants them. */

/** OHWI `[O, kh, kw, I]` → OIHW. */
const OIHW_FROM_OHWI = [0, 3, 1, 2];
/** Depthwise `[1, kh, kw, C·m]` → `[C·m, 1, kh, kw]` (group = C); TransposeConv OHWI → `[I, O, kh, kw]`. */
const LAST_FIRST = [3, 0, 1, 2];

const bias = (c: EmitContext<OpKind>): string[] => (c.hasInput(2) ? [c.weights(2)] : []);

/** The real value of the output grid's lowest level, as a float scalar. */
function gridMin(c: EmitContext<OpKind>): string {
  const q = c.graph.tensors[c.op.outputs[0]!]!.quantization!;
  return c.floatScalar('grid_min', ((q.signed ? -(2 ** (q.bits - 1)) : 0) - q.zeroPoint[0]!) * q.scale[0]!);
}

function pool(opType: 'MaxPool' | 'AveragePool'): OpRule<'MaxPool2D' | 'AveragePool2D'> {
  return {
    onnx: [opType],
    emit(c) {
      const a = c.attrs;
      const pads = spatialPads(c, a.poolSize, a.strides, [1, 1], a.padding);
      // AveragePool's count_include_pad stays 0: TF averages over the real pixels only.
      // onnxruntime 1.30's QDQ propagation moves a DequantizeLinear of INT4 data down past a MaxPool
      // (or a QuantizeLinear up past it) and then refuses its own graph: MaxPool has no int4 kernel.
      // A Max at the grid's lowest value on each side changes nothing and keeps both where they are.
      const guard = opType === 'MaxPool' && c.narrowOutput() ? gridMin(c) : undefined;
      const x = c.input(0, 'nchw');
      const y = c.node(opType, [guard ? c.node('Max', [x, guard]) : x], { kernel_shape: { ints: a.poolSize }, strides: { ints: a.strides }, pads: { ints: pads } });
      if (guard) return { value: c.activate(c.node('Max', [y, guard]), a.activation), layout: 'nchw' };
      return { value: c.activate(y, a.activation), layout: 'nchw' };
    },
  };
}

type ConvKind = 'Conv2D' | 'DepthwiseConv2D' | 'TransposeConv2D' | 'FullyConnected' | 'MaxPool2D' | 'AveragePool2D';

export const CONV_OPS: { readonly [K in ConvKind]: OpRule<K> } = {
  Conv2D: {
    onnx: ['Conv'],
    weights: [1, 2],
    emit(c) {
      const a = c.attrs;
      const [, kh, kw] = c.shape(1);
      const kernel = [kh!, kw!];
      const pads = spatialPads(c, kernel, a.strides, a.dilations, a.padding);
      const y = c.node('Conv', [c.input(0, 'nchw'), c.weights(1, OIHW_FROM_OHWI), ...bias(c)], {
        kernel_shape: { ints: kernel }, strides: { ints: a.strides }, dilations: { ints: a.dilations }, pads: { ints: pads }, group: { i: 1 },
      });
      return { value: c.activate(y, a.activation), layout: 'nchw' };
    },
  },
  DepthwiseConv2D: {
    onnx: ['Conv (group = channels)'],
    weights: [1, 2],
    emit(c) {
      const a = c.attrs;
      const [, kh, kw] = c.shape(1);
      const kernel = [kh!, kw!];
      const pads = spatialPads(c, kernel, a.strides, a.dilations, a.padding);
      // Output channel c·m + j reads input channel c, as ONNX's grouped Conv with group = C does.
      const y = c.node('Conv', [c.input(0, 'nchw'), c.weights(1, LAST_FIRST), ...bias(c)], {
        kernel_shape: { ints: kernel }, strides: { ints: a.strides }, dilations: { ints: a.dilations }, pads: { ints: pads }, group: { i: c.shape(0)[3]! },
      });
      return { value: c.activate(y, a.activation), layout: 'nchw' };
    },
  },
  TransposeConv2D: {
    onnx: ['ConvTranspose'],
    weights: [1, 2],
    emit(c) {
      const a = c.attrs;
      const [, kh, kw] = c.shape(1);
      const [, h, w] = c.shape(0);
      const [, oh, ow] = c.shape('out');
      // The full output is (in − 1)·s + k; TF crops SAME's excess like the forward conv pads it
      // (odd pixel at the end), and a shorter full output is extended at the end (output_padding).
      const crop = [(h! - 1) * a.strides[0] + kh! - oh!, (w! - 1) * a.strides[1] + kw! - ow!];
      const pads = [...crop.map((t) => Math.floor(Math.max(t, 0) / 2)), ...crop.map((t) => Math.max(t, 0) - Math.floor(Math.max(t, 0) / 2))];
      const y = c.node('ConvTranspose', [c.input(0, 'nchw'), c.weights(1, LAST_FIRST), ...bias(c)], {
        kernel_shape: { ints: [kh!, kw!] }, strides: { ints: a.strides }, pads: { ints: pads }, output_padding: { ints: crop.map((t) => Math.max(-t, 0)) },
      });
      return { value: c.activate(y, a.activation), layout: 'nchw' };
    },
  },
  FullyConnected: {
    onnx: ['Gemm (transB = 1)', 'Reshape around it for inputs of other ranks'],
    weights: [1, 2],
    emit(c) {
      const a = c.attrs;
      const [, features] = c.shape(1);
      const rank2 = c.shape(0).length === 2;
      if (c.layoutOf(0) === 'nchw-flat') {
        // The input is a Flatten of NCHW data: take the weight columns (H, W, C order) in C, H, W order.
        const [, h, w, ch] = c.graph.tensors[producerOf(c.graph, c.op.inputs[0]!)!.inputs[0]!]!.shape;
        const y = c.node('Gemm', [c.input(0, 'nchw-flat'), c.weights(1, OIHW_FROM_OHWI, [c.shape(1)[0]!, h!, w!, ch!]), ...bias(c)], { transB: { i: 1 } });
        return { value: c.activate(y, a.activation), layout: 'ir' };
      }
      const x = c.input(0, 'ir');
      // Gemm takes [rows, in]: other ranks are flattened to it (TFLite's FULLY_CONNECTED does the same).
      const rows = rank2 ? x : c.node('Reshape', [x, c.int64s('rows', [-1, features!])]);
      let y = c.node('Gemm', [rows, c.weights(1), ...bias(c)], { transB: { i: 1 } });
      if (!rank2 || c.shape('out').length !== 2) y = c.node('Reshape', [y, c.int64s('output_shape', c.shape('out'))]);
      return { value: c.activate(y, a.activation), layout: 'ir' };
    },
  },
  MaxPool2D: pool('MaxPool'),
  AveragePool2D: pool('AveragePool'),
};
