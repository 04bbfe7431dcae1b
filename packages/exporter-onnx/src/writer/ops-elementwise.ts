import type { OpKind } from '@qatkit/core';
import { onnxAxis, type Layout } from './layout.js';
import type { Attrs } from './onnx-builder.js';
import type { EmitContext, Emitted, OpRule } from './op-rule.js';

/** Elementwise ops run in whatever layout their input is stored in: no Transpose for them. */

function unary<K extends OpKind>(opType: string, attrs: (c: EmitContext<K>) => Attrs = () => ({})): OpRule<K> {
  return {
    onnx: [opType],
    emit(c) {
      const layout = c.layoutOf(0);
      return { value: c.node(opType, [c.input(0, layout)], attrs(c)), layout };
    },
  };
}

/**
 * The layout a broadcasting op runs in: its computed inputs' layout when all of them are rank 4
 * (constants are permuted to match at export time), else the IR's own order.
 */
function broadcastLayout(c: EmitContext<OpKind>): Layout {
  const computed = c.op.inputs.map((_, i) => i).filter((i) => !c.isConstant(i));
  if (c.shape('out').length !== 4 || computed.length === 0 || computed.some((i) => c.shape(i).length !== 4)) return 'ir';
  return c.layoutOf(computed[0]!);
}

function binary<K extends 'Add' | 'Sub' | 'Mul' | 'Maximum' | 'Minimum' | 'Prelu'>(opType: string): OpRule<K> {
  return {
    onnx: [opType],
    emit(c): Emitted {
      const layout = broadcastLayout(c);
      const y = c.node(opType, [c.input(0, layout), c.input(1, layout)]);
      const a = c.attrs as { activation?: 'none' | 'relu' | 'relu6' };
      return { value: c.activate(y, a.activation ?? 'none'), layout };
    },
  };
}

type ElementwiseKind =
  | 'Relu' | 'Relu6' | 'Logistic' | 'Tanh' | 'LeakyRelu' | 'Elu' | 'HardSwish' | 'Softmax'
  | 'Add' | 'Sub' | 'Mul' | 'Maximum' | 'Minimum' | 'Prelu' | 'Quantize' | 'Dequantize';

export const ELEMENTWISE_OPS: { readonly [K in ElementwiseKind]: OpRule<K> } = {
  Relu: {
    onnx: ['Relu'],
    emit(c) {
      const layout = c.layoutOf(0);
      return { value: c.activate(c.input(0, layout), 'relu'), layout };
    },
  },
  Relu6: {
    onnx: ['Clip'],
    emit(c) {
      const layout = c.layoutOf(0);
      return { value: c.activate(c.input(0, layout), 'relu6'), layout };
    },
  },
  Logistic: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  LeakyRelu: unary('LeakyRelu', (c) => ({ alpha: { f: c.attrs.alpha } })),
  Elu: unary('Elu', () => ({ alpha: { f: 1 } })),
  HardSwish: {
    onnx: ['HardSwish (opset ≥ 14)', 'Mul(x, HardSigmoid(x)) before'],
    emit(c) {
      const layout = c.layoutOf(0);
      const x = c.input(0, layout);
      if (c.features.hardSwish) return { value: c.node('HardSwish', [x]), layout };
      const gate = c.node('HardSigmoid', [x], { alpha: { f: 1 / 6 }, beta: { f: 0.5 } });
      return { value: c.node('Mul', [x, gate]), layout };
    },
  },
  Softmax: {
    onnx: ['Softmax', 'Mul by beta first when beta ≠ 1'],
    emit(c) {
      const layout = c.layoutOf(0);
      const rank = c.shape(0).length;
      let x = c.input(0, layout);
      if (c.attrs.beta !== 1) x = c.node('Mul', [x, c.floatScalar('beta', c.attrs.beta)]);
      return { value: c.node('Softmax', [x], { axis: { i: onnxAxis(-1, layout, rank) } }), layout };
    },
  },
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Prelu: binary('PRelu'),
  // The writer quantizes every quantized output: a Quantize is its input's float value, re-quantized.
  Quantize: {
    onnx: ['QuantizeLinear (after a DequantizeLinear for int → int)'],
    emit(c) {
      const layout = c.layoutOf(0);
      return { value: c.input(0, layout), layout };
    },
  },
  Dequantize: { ...unary('Identity'), onnx: ['DequantizeLinear'] },
};
