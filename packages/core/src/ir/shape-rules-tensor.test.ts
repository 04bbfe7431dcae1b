import { describe, expect, it } from 'vitest';
import { QatkitError } from '../errors.js';
import { checkShapes, inferOutputShape } from './shape-rules.js';
import type { Graph, Op, OpAttrs, OpKind, Tensor } from './types.js';

const t = (name: string, shape: number[]): Tensor => ({ name, shape, dtype: 'float32' });

/** One op reading x0, x1, … (with the given shapes) and writing y. */
function infer<K extends OpKind>(kind: K, attrs: OpAttrs[K], inputs: number[][], out: number[] = [1]): number[] | undefined {
  const op = { kind, name: 'o', inputs: inputs.map((_, i) => `x${i}`), outputs: ['y'], attrs } as unknown as Op;
  const tensors = [...inputs.map((s, i) => t(`x${i}`, s)), t('y', out)];
  const graph: Graph = { name: 'g', tensors: Object.fromEntries(tensors.map((x) => [x.name, x])), ops: [op], inputs: [], outputs: ['y'] };
  return inferOutputShape(op, graph);
}

function error(fn: () => unknown): QatkitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QatkitError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('binary elementwise ops broadcast like numpy', () => {
  it.each(['Add', 'Sub', 'Mul', 'Maximum', 'Minimum'] as const)('%s', (kind) => {
    const attrs = (kind === 'Maximum' || kind === 'Minimum' ? {} : { activation: 'none' }) as OpAttrs[typeof kind];
    expect(infer(kind, attrs, [[1, 4, 4, 3], [1, 4, 4, 3]])).toEqual([1, 4, 4, 3]);
    expect(infer(kind, attrs, [[1, 4, 4, 3], [3]])).toEqual([1, 4, 4, 3]);
    expect(infer(kind, attrs, [[1, 1, 4, 1], [2, 3, 1, 5]])).toEqual([2, 3, 4, 5]);
    expect(infer(kind, attrs, [[], [2, 2]])).toEqual([2, 2]);
  });
  it('PReLU broadcasts alpha over the input', () => {
    expect(infer('Prelu', {}, [[1, 5, 5, 8], [1, 1, 8]])).toEqual([1, 5, 5, 8]);
  });
  it('refuses shapes that do not broadcast, and a wrong input count, naming the op', () => {
    const e = error(() => infer('Add', { activation: 'none' }, [[1, 4, 4, 3], [4]]));
    expect(e.code).toBe('INVALID_SHAPE');
    expect(e.message).toBe('op "o" (Add): inputs [1, 4, 4, 3] and [4] cannot be broadcast together (dimension 3: 3 vs 4)');
    expect(error(() => infer('Mul', { activation: 'none' }, [[2]])).message).toBe('op "o" (Mul) has 1 inputs; it takes 2');
  });
});

describe('Concatenation', () => {
  it('adds up the axis (negative axes count from the end) and checks the other dimensions', () => {
    expect(infer('Concatenation', { axis: -1, activation: 'none' }, [[1, 2, 2, 3], [1, 2, 2, 1], [1, 2, 2, 4]])).toEqual([1, 2, 2, 8]);
    expect(infer('Concatenation', { axis: 1, activation: 'none' }, [[2, 3], [2, 5]])).toEqual([2, 8]);
    expect(error(() => infer('Concatenation', { axis: 3, activation: 'none' }, [[1, 2, 2, 3], [1, 3, 2, 1]])).message).toBe(
      'op "o" (Concatenation): input 1 [1, 3, 2, 1] does not match input 0 [1, 2, 2, 3] outside axis 3',
    );
    expect(error(() => infer('Concatenation', { axis: 4, activation: 'none' }, [[1, 2, 2, 3]])).message).toMatch(/axis 4 is not an axis of a rank-4 input \(allowed: -4 … 3\)/);
    expect(error(() => infer('Concatenation', { axis: 0, activation: 'none' }, [])).message).toMatch(/has 0 inputs; it takes at least 1/);
  });
});

describe('Mean and ReduceMax', () => {
  it.each(['Mean', 'ReduceMax'] as const)('%s drops or keeps the reduced axes', (kind) => {
    expect(infer(kind, { axes: [1, 2], keepDims: false }, [[2, 5, 5, 8]])).toEqual([2, 8]);
    expect(infer(kind, { axes: [1, -2], keepDims: true }, [[2, 5, 5, 8]])).toEqual([2, 1, 1, 8]);
  });
  it('refuses repeated, empty and out-of-range axes', () => {
    expect(error(() => infer('Mean', { axes: [1, -3], keepDims: false }, [[2, 5, 5, 8]])).message).toMatch(/op "o" \(Mean\): axes \[1, -3\] name the same dimension twice/);
    expect(error(() => infer('ReduceMax', { axes: [], keepDims: false }, [[2, 5]])).message).toMatch(/axes must be a non-empty array/);
    expect(error(() => infer('Mean', { axes: [2], keepDims: false }, [[2, 5]])).message).toMatch(/axis 2 is not an axis of a rank-2 input/);
  });
});

describe('Pad, Slice, Transpose', () => {
  it('Pad grows each dimension by before + after', () => {
    expect(infer('Pad', { paddings: [[0, 0], [1, 2], [0, 1], [0, 0]] }, [[1, 4, 4, 3]])).toEqual([1, 7, 5, 3]);
    expect(error(() => infer('Pad', { paddings: [[0, 0], [1, 1]] }, [[1, 4, 4, 3]])).message).toMatch(/paddings must be 4 pairs \[before, after\]/);
    expect(error(() => infer('Pad', { paddings: [[0, -1]] }, [[3]])).message).toMatch(/non-negative integers/);
  });
  it('Slice takes size, or the rest of the dimension for -1', () => {
    expect(infer('Slice', { begin: [0, 1, 2, 0], size: [1, 2, -1, 3] }, [[1, 4, 5, 3]])).toEqual([1, 2, 3, 3]);
    expect(error(() => infer('Slice', { begin: [0, 3], size: [1, 2] }, [[1, 4]])).message).toBe(
      'op "o" (Slice): dimension 1: begin 3 and size 2 do not select a non-empty part of 4 (input [1, 4])',
    );
    expect(error(() => infer('Slice', { begin: [0], size: [1, 2] }, [[1, 4]])).message).toMatch(/begin and size must each hold 2 integers/);
  });
  it('Transpose permutes the dimensions', () => {
    expect(infer('Transpose', { perm: [0, 3, 1, 2] }, [[1, 4, 5, 3]])).toEqual([1, 3, 4, 5]);
    expect(error(() => infer('Transpose', { perm: [0, 1, 1] }, [[1, 4, 5]])).message).toMatch(/perm must be a permutation of 0 … 2/);
  });
});

describe('resize ops take their spatial size from the output', () => {
  it.each(['ResizeNearestNeighbor', 'ResizeBilinear'] as const)('%s', (kind) => {
    const attrs = { alignCorners: false, halfPixelCenters: true };
    expect(infer(kind, attrs, [[2, 4, 4, 3]], [2, 8, 6, 3])).toEqual([2, 8, 6, 3]);
    // The rule keeps batch and channels from the input, so checkShapes catches an output that changes them.
    expect(infer(kind, attrs, [[2, 4, 4, 3]], [1, 8, 8, 5])).toEqual([2, 8, 8, 3]);
    expect(error(() => infer(kind, attrs, [[4, 4, 3]], [8, 8, 3])).message).toMatch(/input must be rank 4 \(NHWC\), got \[4, 4, 3\]/);
    expect(error(() => infer(kind, { alignCorners: true, halfPixelCenters: true }, [[1, 4, 4, 3]], [1, 8, 8, 3])).message).toMatch(/cannot both be true/);
  });
});

describe('TransposeConv2D and FullyConnected keepNumDims', () => {
  const deconv = (strides: [number, number], padding: 'same' | 'valid') => ({ strides, padding, activation: 'none' as const });
  it('accepts an output that a forward conv with the same window maps back onto the input', () => {
    // valid: (in − 1) × stride + kernel; same: in × stride.
    expect(infer('TransposeConv2D', deconv([2, 2], 'valid'), [[1, 4, 5, 3], [6, 3, 3, 3]], [1, 9, 11, 6])).toEqual([1, 9, 11, 6]);
    expect(infer('TransposeConv2D', deconv([2, 1], 'same'), [[1, 4, 5, 3], [6, 3, 3, 3]], [1, 8, 5, 6])).toEqual([1, 8, 5, 6]);
    // Keras output_padding: one extra row still maps back (floor).
    expect(infer('TransposeConv2D', deconv([2, 2], 'valid'), [[1, 4, 5, 3], [6, 3, 3, 3]], [1, 10, 11, 6])).toEqual([1, 10, 11, 6]);
  });
  it('refuses other outputs and mismatched channels', () => {
    expect(error(() => infer('TransposeConv2D', deconv([2, 2], 'same'), [[1, 4, 4, 3], [6, 3, 3, 3]], [1, 9, 8, 6])).message).toBe(
      'op "o" (TransposeConv2D): a 3×3 convolution with strides 2×2 and "same" padding maps the output [1, 9, 8, 6] to 5×4, not to the input\'s 4×4',
    );
    expect(error(() => infer('TransposeConv2D', deconv([1, 1], 'same'), [[1, 4, 4, 2], [6, 3, 3, 3]], [1, 4, 4, 6])).message).toMatch(/input has 2 channels but the weights expect 3/);
    expect(error(() => infer('TransposeConv2D', deconv([1, 1], 'same'), [[1, 4, 4, 3], [6, 3, 3, 3]], [1, 4, 4, 5])).message).toMatch(/output must be \[1, height, width, 6\]/);
  });
  it('FullyConnected with keepNumDims keeps the leading dimensions', () => {
    expect(infer('FullyConnected', { activation: 'none', keepNumDims: true }, [[2, 7, 4], [5, 4]])).toEqual([2, 7, 5]);
    expect(infer('FullyConnected', { activation: 'none' }, [[2, 7, 4], [5, 4]])).toEqual([14, 5]);
    expect(error(() => infer('FullyConnected', { activation: 'none', keepNumDims: true }, [[2, 4, 7], [5, 4]])).message).toMatch(/last dimension must be the weights' 4 features/);
  });
});

describe('unary activations keep the shape', () => {
  it.each(['Logistic', 'Tanh', 'Elu', 'HardSwish'] as const)('%s', (kind) => {
    expect(infer(kind, {}, [[1, 3, 2]])).toEqual([1, 3, 2]);
  });
  it('LeakyRelu, and checkShapes compares with the stated output', () => {
    expect(infer('LeakyRelu', { alpha: 0.2 }, [[4, 2]])).toEqual([4, 2]);
    const op: Op = { kind: 'Tanh', name: 'th', inputs: ['x'], outputs: ['y'], attrs: {} };
    const graph: Graph = { name: 'g', tensors: { x: t('x', [2, 3]), y: t('y', [3, 2]) }, ops: [op], inputs: ['x'], outputs: ['y'] };
    expect(() => checkShapes(graph)).toThrow('op "th" (Tanh) computes shape [2, 3] but its output "y" says [3, 2]');
  });
});
