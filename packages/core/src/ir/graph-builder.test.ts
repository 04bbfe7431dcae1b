import { describe, expect, it } from 'vitest';
import { GraphBuilder, consumersOf, producerOf, validateGraph } from './graph-builder.js';
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
    ['a read before write', { ...g, inputs: [] }, /before any op produces it/],
    ['an output never produced', { ...g, outputs: ['w2'] }, /never produced/],
  ])('rejects %s', (_name, graph, msg) => {
    expect(() => validateGraph(graph as Graph)).toThrow(msg);
  });
});
