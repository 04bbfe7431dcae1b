import { describe, expect, it } from 'vitest';
import { GraphBuilder, consumersOf, producerOf } from './graph-builder.js';
import { validateGraph } from './validate.js';
import type { Graph } from './types.js';

const q = { scale: [0.1], zeroPoint: [0], bits: 8, signed: true, narrowRange: false };

function tiny(): Graph {
  const b = new GraphBuilder('tiny');
  const x = b.addTensor({ name: 'x', shape: [1, 4], dtype: 'int8', quantization: q });
  const w = b.addTensor({ name: 'w', shape: [2, 4], dtype: 'int8', data: new Int8Array(8), quantization: q });
  const bias = b.addTensor({ name: 'b', shape: [2], dtype: 'int32', data: new Int32Array(2), quantization: { ...q, bits: 32 } });
  const y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'int8', quantization: q });
  b.addOp('FullyConnected', 'fc', [x, w, bias], [y], { activation: 'none' });
  return b.setInputs([x]).setOutputs([y]).build();
}

describe('GraphBuilder', () => {
  it('builds a valid graph and answers producer/consumer queries', () => {
    const g = tiny();
    expect(g.ops.map((o) => o.kind)).toEqual(['FullyConnected']);
    expect(producerOf(g, 'y')?.name).toBe('fc');
    expect(consumersOf(g, 'x').map((o) => o.name)).toEqual(['fc']);
  });
  it('makes names unique', () => {
    const b = new GraphBuilder('g');
    expect(b.addTensor({ name: 't', shape: [1], dtype: 'float32' })).toBe('t');
    expect(b.addTensor({ name: 't', shape: [1], dtype: 'float32' })).toBe('t_1');
  });
});

describe('validateGraph', () => {
  const g = tiny();
  it.each([
    ['a missing input tensor', { ...g, inputs: ['nope'] }, /graph input "nope"/],
    ['data of the wrong size', { ...g, tensors: { ...g.tensors, w: { ...g.tensors.w!, data: new Int8Array(3) } } }, /holds 3 values/],
    ['a dynamic shape', { ...g, tensors: { ...g.tensors, x: { ...g.tensors.x!, shape: [-1, 4] } } }, /non-static shape/],
    ['a zero scale', { ...g, tensors: { ...g.tensors, y: { ...g.tensors.y!, quantization: { ...q, scale: [0] } } } }, /non-positive/],
    ['a read before write', { ...g, inputs: ['y'] }, /reads "x" before any op produces it/],
    ['no inputs', { ...g, inputs: [] }, /has 0 inputs and 1 outputs/],
    ['no ops', { ...g, ops: [] }, /has no ops/],
    ['an op writing a graph input', { ...g, inputs: ['x', 'y'] }, /writes "y", which is a constant, a graph input/],
    ['an output of the wrong shape', { ...g, tensors: { ...g.tensors, y: { ...g.tensors.y!, shape: [1, 3] } } }, /computes shape \[1, 2\] but its output "y" says \[1, 3\]/],
    ['weights of the wrong width', { ...g, tensors: { ...g.tensors, x: { ...g.tensors.x!, shape: [1, 3] } } }, /input \[1, 3\] cannot be read as rows of 4 features/],
    ['a per-axis scale on a missing axis', { ...g, tensors: { ...g.tensors, w: { ...g.tensors.w!, quantization: { ...q, axis: 2 } } } }, /axis 2, which it does not have/],
    ['an output never produced', { ...g, outputs: ['w2'] }, /never produced/],
  ])('rejects %s', (_name, graph, msg) => {
    expect(() => validateGraph(graph as Graph)).toThrow(msg);
  });
  it.each([
    ['undefined', undefined, /expected a qatkit Graph .*; got undefined/],
    ['null', null, /got null/],
    ['a string', 'model.tflite', /got string/],
    ['an empty object', {}, /"name" is not a string/],
    ['tensors as an array', { name: 'g', tensors: [], ops: [], inputs: [], outputs: [] }, /"tensors" is not an object/],
    ['ops that are not an array', { name: 'g', tensors: {}, ops: {}, inputs: [], outputs: [] }, /"ops" is not an array/],
    ['a tensor without a dtype', { ...g, tensors: { ...g.tensors, x: { name: 'x', shape: [1, 4] } } }, /tensor "x" has dtype undefined/],
    ['an op without attrs', { ...g, ops: [{ ...g.ops[0]!, attrs: undefined }] }, /op "fc" \(FullyConnected\) has no attrs/],
  ])('names what is wrong with %s instead of throwing a TypeError', (_name, graph, msg) => {
    let err: unknown;
    try {
      validateGraph(graph as unknown as Graph);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('QatkitError');
    expect(String(err)).toMatch(msg);
  });
});
