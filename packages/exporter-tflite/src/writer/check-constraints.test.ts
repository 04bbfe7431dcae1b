import { activationQuantization, QatkitError, type Graph, type OpKind, type Tensor } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { ACT, NetBuilder } from '../test-utils/net-builder.js';
import { exportTflite } from './export-tflite.js';

/**
 * The int8 kernels' output constraints (§D of the TFLite spec) and the int8-or-float rule, each
 * refused with a message that names the op and the tensor.
 */

function refusal(graph: Graph, io: 'float32' | 'int8' | 'uint8' = 'int8'): QatkitError {
  try {
    exportTflite(graph, { io });
  } catch (e) {
    if (e instanceof QatkitError) return e;
    throw e;
  }
  throw new Error('exportTflite accepted the graph');
}

function patch(graph: Graph, name: string, f: (t: Tensor) => Tensor): Graph {
  return { ...graph, tensors: { ...graph.tensors, [name]: f(graph.tensors[name]!) } };
}

const rescaled = (t: Tensor, factor: number): Tensor => ({ ...t, quantization: { ...t.quantization!, scale: [t.quantization!.scale[0]! * factor] } });

/** x → op "op" with the given attrs, int8 (or float). */
function single(kind: OpKind, attrs: object, options: { shape?: number[]; float?: boolean } = {}): Graph {
  const nb = new NetBuilder(kind, options.float ?? false, 3);
  const x = nb.input([1, 4, 4, 2]);
  return nb.build([nb.op(kind, 'op', [x], attrs as never, options.shape ? { shape: options.shape } : {})]).graph;
}

const SAME_SCALE_SINGLE: [OpKind, object, number[]?][] = [
  ['Pad', { paddings: [[0, 0], [1, 1], [1, 1], [0, 0]] }],
  ['Slice', { begin: [0, 1, 1, 0], size: [1, 2, 2, 2] }],
  ['ResizeNearestNeighbor', { alignCorners: false, halfPixelCenters: false }, [1, 8, 8, 2]],
  ['ResizeBilinear', { alignCorners: false, halfPixelCenters: true }, [1, 8, 8, 2]],
  ['Transpose', { perm: [0, 2, 1, 3] }],
  ['ReduceMax', { axes: [1, 2], keepDims: false }],
  ['MaxPool2D', { poolSize: [2, 2], strides: [2, 2], padding: 'valid', activation: 'none' }],
  ['AveragePool2D', { poolSize: [2, 2], strides: [2, 2], padding: 'valid', activation: 'none' }],
  ['Reshape', { shape: [1, -1] }, [1, 32]],
];

describe('same-scale ops: output parameters equal every input’s', () => {
  it.each(SAME_SCALE_SINGLE)('%s refuses an output with other parameters, naming op, output and input', (kind, attrs, shape) => {
    const graph = single(kind, attrs, shape ? { shape } : {});
    expect(() => exportTflite(graph)).not.toThrow();
    const e = refusal(patch(graph, 'op', (t) => rescaled(t, 1.5)));
    expect(e.code).toBe('UNSUPPORTED_OP');
    const inQ = graph.tensors.input!.quantization!;
    expect(e.message).toContain(`op "op" (${kind}) output "op" must be quantized with scale ${inQ.scale[0]}, zero point ${inQ.zeroPoint[0]} like input "input"`);
    expect(e.message).toMatch(/passes int8 values through without requantizing/);
  });

  it.each(['Concatenation', 'Maximum', 'Minimum'] as const)('%s refuses a second input with its own parameters', (kind) => {
    const nb = new NetBuilder(kind, false, 3);
    const x = nb.input([1, 4, 4, 2]);
    const r = nb.op('Relu', 'r', [x], {}, { output: activationQuantization(0, 0.5, ACT) });
    const attrs = kind === 'Concatenation' ? { axis: 3, activation: 'none' } : {};
    const graph = nb.build([nb.op(kind, 'op', [x, r], attrs as never)]).graph;
    const e = refusal(graph);
    expect(e.message).toMatch(new RegExp(`^op "op" \\(${kind}\\) output "op" must be quantized with scale .* like input 1 "r"`));
    // The same graph with equal parameters exports.
    const ok = patch(graph, 'r', (t) => ({ ...t, quantization: graph.tensors.input!.quantization! }));
    expect(() => exportTflite(ok)).not.toThrow();
  });
});

describe('fixed-scale ops', () => {
  it.each([
    ['Logistic', 1 / 256, -128],
    ['Tanh', 1 / 128, 0],
    ['Softmax', 1 / 256, -128],
  ] as const)('%s output must be (%d, %d)', (kind, scale, zeroPoint) => {
    const graph = single(kind, kind === 'Softmax' ? { beta: 1 } : {});
    expect(graph.tensors.op!.quantization).toMatchObject({ scale: [scale], zeroPoint: [zeroPoint] });
    const e = refusal(patch(graph, 'op', (t) => ({ ...t, quantization: activationQuantization(0, 1, ACT) })));
    expect(e.message).toMatch(new RegExp(`^op "op" \\(${kind}\\) output "op" must be quantized with scale ${scale}, zero point ${zeroPoint} \\(TFLite ${kind === 'Logistic' ? 'LOGISTIC' : kind.toUpperCase()} kernel constraint\\); got scale 0\\.0039`));
  });
});

describe('an op is all int8 or all float', () => {
  const mixed = () => {
    const nb = new NetBuilder('mixed', true, 3);
    const x = nb.input([1, 4, 4, 2]);
    nb.float = false;
    const q = nb.op('Quantize', 'q', [x], {});
    return { nb, x, q };
  };

  it('refuses a float input next to an int8 one, and a float op reading int8', () => {
    const { nb, x, q } = mixed();
    const add = nb.op('Add', 'add', [q, x], { activation: 'none' }, { output: activationQuantization(-2, 2, ACT) });
    expect(refusal(nb.build([add]).graph, 'float32').message).toMatch(/^op "add" \(Add\) input 1 "input" is float32 but input "q" is int8: .*QUANTIZE/);
    const { nb: nb2, x: x2, q: q2 } = mixed();
    nb2.float = true;
    const sub = nb2.op('Sub', 'sub', [x2, q2], { activation: 'none' });
    expect(refusal(nb2.build([sub]).graph, 'float32').message).toMatch(/^op "sub" \(Sub\) input 1 "q" is int8 but input "input" is float32: an op runs either on int8 or on float32 tensors/);
  });

  it('refuses int8 weights in a float op (hybrid) and quantization parameters on a float tensor', () => {
    const nb = new NetBuilder('hybrid', true, 3);
    const x = nb.input([1, 6]);
    nb.float = false;
    const w = nb.weights('fc', [3, 6], 0, 6);
    nb.float = true;
    const graph = nb.build([nb.op('FullyConnected', 'fc', [x, w], { activation: 'none' })]).graph;
    expect(refusal(graph, 'float32').message).toMatch(/^op "fc" \(FullyConnected\) weights "fc\/weights" must be constant float32 data in a float op \(got constant int8\); .*hybrid/);
    const quantizedFloat = patch(single('Relu', {}, { float: true }), 'op', (t) => ({ ...t, quantization: activationQuantization(0, 1, ACT) }));
    expect(refusal(quantizedFloat, 'float32').message).toBe('op "op" (Relu) output "op" is float32 with quantization parameters; the float form of Relu takes plain float32 tensors');
  });

  it('a partly quantized graph (QUANTIZE / DEQUANTIZE at the boundaries) exports', () => {
    const { nb, q } = mixed();
    const r = nb.op('Relu', 'r', [q], {});
    const d = nb.op('Dequantize', 'd', [r], {});
    nb.float = true;
    const graph = nb.build([nb.op('Tanh', 't', [d], {})]).graph;
    expect(() => exportTflite(graph)).not.toThrow();
  });
});
