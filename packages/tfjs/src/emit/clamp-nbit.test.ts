import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Quantization } from '@qatkit/core';
import { clampBounds, emitClamp } from './clamp-nbit.js';

const q = (bits: number, zeroPoint: number, scale = 0.1): Quantization => ({ scale: [scale], zeroPoint: [zeroPoint], bits, signed: true, narrowRange: false });

describe('clampBounds', () => {
  it('needs no clamp at 8 bits', () => {
    expect(clampBounds(q(8, -3), 'Conv2D', 'none')).toBeUndefined();
  });
  it('clamps both ends of a 4-bit output the int8 kernel would pass through', () => {
    expect(clampBounds(q(4, 2), 'Conv2D', 'none')).toEqual({ lower: -8, upper: 7 });
  });
  it('leaves the lower end to a fused ReLU whose zero point is the lowest level', () => {
    expect(clampBounds(q(4, -8), 'Conv2D', 'relu')).toEqual({ upper: 7 });
    expect(clampBounds(q(4, -8), 'Relu', 'none')).toEqual({ upper: 7 });
    // zero point above qmin: the ReLU already clamps higher than the levels need
    expect(clampBounds(q(4, 0), 'Add', 'relu')).toEqual({ upper: 7 });
  });
  it('leaves the upper end to ReLU6 when 6.0 lies at or below the top level', () => {
    // 6 / 0.4 = 15 levels above zero point -8: level 7, the top
    expect(clampBounds(q(4, -8, 0.4), 'Conv2D', 'relu6')).toBeUndefined();
    expect(clampBounds(q(4, -8, 0.1), 'Relu6', 'none')).toEqual({ upper: 7 });
  });
  it('emits MAXIMUM then MINIMUM against one-element constants on the same grid', () => {
    const b = new GraphBuilder('g');
    const grid = q(3, 1);
    b.addTensor({ name: 'x', shape: [1, 2], dtype: 'int8', quantization: grid });
    b.addTensor({ name: 'y0', shape: [1, 2], dtype: 'int8', quantization: grid });
    b.addTensor({ name: 'y', shape: [1, 2], dtype: 'int8', quantization: grid });
    b.addOp('Relu', 'r', ['x'], ['y0'], {});
    emitClamp(b, 'r', 'y0', 'y', [1, 2], grid, { lower: -4, upper: 3 });
    const g = b.setInputs(['x']).setOutputs(['y']).build();
    expect(g.ops.map((o) => o.kind)).toEqual(['Relu', 'Maximum', 'Minimum']);
    expect(Array.from(g.tensors['r/nbit_min']!.data!)).toEqual([-4]);
    expect(Array.from(g.tensors['r/nbit_max']!.data!)).toEqual([3]);
    expect(g.tensors['r/nbit_max']!.quantization).toEqual({ scale: [0.1], zeroPoint: [1], bits: 3, signed: true, narrowRange: false });
  });
});
