import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkShapes, inferOutputShape, windowOutput } from './shape-rules.js';
import type { Graph, Op, Tensor } from './types.js';

const t = (name: string, shape: number[], data = false): Tensor => ({ name, shape, dtype: 'int8', ...(data ? { data: new Int8Array(shape.reduce((a, b) => a * b, 1)) } : {}) });

function oneOp(op: Op, tensors: Tensor[]): Graph {
  return { name: 'g', tensors: Object.fromEntries(tensors.map((x) => [x.name, x])), ops: [op], inputs: [op.inputs[0]!], outputs: [op.outputs[0]!] };
}

const conv = (attrs: Partial<Extract<Op, { kind: 'Conv2D' }>['attrs']> = {}): Op => ({
  kind: 'Conv2D',
  name: 'c',
  inputs: ['x', 'w'],
  outputs: ['y'],
  attrs: { strides: [1, 1], dilations: [1, 1], padding: 'valid', activation: 'none', ...attrs },
});

describe('windowOutput', () => {
  it('counts the window positions TFLite computes (valid: those that fit; same: ceil(n / stride))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (n, k, s, d) => {
        const effective = (k - 1) * d + 1;
        let fits = 0;
        for (let start = 0; start + effective <= n; start += s) fits++;
        expect(windowOutput(n, k, s, d, 'valid')).toBe(fits);
        expect(windowOutput(n, k, s, d, 'same')).toBe(Math.ceil(n / s));
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('inferOutputShape', () => {
  it('gives conv, depthwise, pooling and fully-connected output shapes', () => {
    expect(inferOutputShape(conv(), oneOp(conv(), [t('x', [1, 8, 8, 3]), t('w', [5, 3, 3, 3], true), t('y', [1, 6, 6, 5])]))).toEqual([1, 6, 6, 5]);
    const strided = conv({ strides: [2, 2], padding: 'same' });
    expect(inferOutputShape(strided, oneOp(strided, [t('x', [2, 7, 9, 3]), t('w', [4, 3, 3, 3], true), t('y', [1])]))).toEqual([2, 4, 5, 4]);
    const dw: Op = { kind: 'DepthwiseConv2D', name: 'd', inputs: ['x', 'w'], outputs: ['y'], attrs: { strides: [1, 1], dilations: [2, 2], padding: 'valid', depthMultiplier: 2, activation: 'none' } };
    expect(inferOutputShape(dw, oneOp(dw, [t('x', [1, 9, 9, 3]), t('w', [1, 3, 3, 6], true), t('y', [1])]))).toEqual([1, 5, 5, 6]);
    const pool: Op = { kind: 'MaxPool2D', name: 'p', inputs: ['x'], outputs: ['y'], attrs: { poolSize: [2, 2], strides: [2, 2], padding: 'valid', activation: 'none' } };
    expect(inferOutputShape(pool, oneOp(pool, [t('x', [1, 5, 5, 4]), t('y', [1])]))).toEqual([1, 2, 2, 4]);
    const fcOp: Op = { kind: 'FullyConnected', name: 'f', inputs: ['x', 'w'], outputs: ['y'], attrs: { activation: 'none' } };
    expect(inferOutputShape(fcOp, oneOp(fcOp, [t('x', [2, 3, 4]), t('w', [7, 4], true), t('y', [1])]))).toEqual([6, 7]);
  });
  it('rejects inputs that cannot be combined, naming the op', () => {
    expect(() => checkShapes(oneOp(conv(), [t('x', [1, 8, 8, 2]), t('w', [5, 3, 3, 3], true), t('y', [1, 6, 6, 5])]))).toThrow(/op "c" \(Conv2D\): input has 2 channels but the weights expect 3/);
    expect(() => checkShapes(oneOp(conv(), [t('x', [1, 2, 2, 3]), t('w', [5, 3, 3, 3], true), t('y', [1, 0, 0, 5])]))).toThrow(/3×3 window does not fit the input \[1, 2, 2, 3\]/);
    expect(() => checkShapes(oneOp(conv({ strides: [0, 1] }), [t('x', [1, 8, 8, 3]), t('w', [5, 3, 3, 3], true), t('y', [1])]))).toThrow(/strides must be two positive integers/);
  });
  it('rejects an elementwise op whose output shape differs from its input', () => {
    const relu: Op = { kind: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'], attrs: {} };
    expect(() => checkShapes(oneOp(relu, [t('x', [1, 4]), t('y', [1, 5])]))).toThrow(/op "r" \(Relu\) computes shape \[1, 4\] but its output "y" says \[1, 5\]/);
    expect(() => checkShapes(oneOp(relu, [t('x', [1, 4]), t('y', [1, 4])]))).not.toThrow();
  });
});
