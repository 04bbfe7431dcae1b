import { isQatkitError } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { TensorType } from '../generated/tflite/tensor-type.js';
import { addModel, tinyModel, type TinySubgraph } from '../test-utils/tiny-model.js';
import { readTflite } from './read-tflite.js';

function malformedMessage(bytes: Uint8Array): string {
  try {
    readTflite(bytes);
  } catch (e) {
    expect(isQatkitError(e, 'MALFORMED_MODEL'), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected MALFORMED_MODEL, the file was read');
}

const { ADD, CALL } = BuiltinOperator;

describe('readTflite on hand-made defects', () => {
  it('reads the well-formed tiny model', () => {
    expect(readTflite(tinyModel([addModel()])).subgraphs[0]!.operators[0]).toMatchObject({ opcode: 'ADD', inputs: [0, 0], outputs: [1] });
  });

  it('refuses a tensor written by two operators', () => {
    const sg: TinySubgraph = { ...addModel(), ops: [{ op: ADD, inputs: [0, 0], outputs: [1] }, { op: ADD, inputs: [0, 0], outputs: [1] }] };
    expect(malformedMessage(tinyModel([sg]))).toMatch(/tensor 1 is written by operators 0 and 1/);
  });

  it('refuses a dataflow cycle (an operator reading what a later one writes)', () => {
    const sg: TinySubgraph = {
      tensors: [{ shape: [1] }, { shape: [1] }, { shape: [1] }],
      ops: [
        { op: ADD, inputs: [0, 2], outputs: [1] },
        { op: ADD, inputs: [1, 1], outputs: [2] },
      ],
      inputs: [0],
      outputs: [2],
    };
    expect(malformedMessage(tinyModel([sg]))).toMatch(/operator 0 reads tensor 2 that operator 1 writes later \(a cycle\)/);
    // ...and an operator reading its own output
    const self: TinySubgraph = { ...addModel(), ops: [{ op: ADD, inputs: [0, 1], outputs: [1] }] };
    expect(malformedMessage(tinyModel([self]))).toMatch(/a cycle/);
  });

  it('accepts state read before it is written (variable tensors)', () => {
    const sg: TinySubgraph = {
      tensors: [{ shape: [1] }, { shape: [1], variable: true }, { shape: [1] }],
      ops: [{ op: ADD, inputs: [0, 1], outputs: [2] }],
      inputs: [0],
      outputs: [2],
    };
    expect(readTflite(tinyModel([sg])).subgraphs[0]!.tensors[1]!.isVariable).toBe(true);
  });

  it('refuses control flow that recurses or calls a missing subgraph', () => {
    const call = (target: number): TinySubgraph => ({ ...addModel(), ops: [{ op: CALL, inputs: [0], outputs: [1], call: target }] });
    expect(readTflite(tinyModel([call(1), addModel()])).subgraphs[0]!.operators[0]!.options).toEqual({ subgraph: 1 });
    expect(malformedMessage(tinyModel([call(1), call(2), call(1)]))).toMatch(/subgraph 1 calls itself \(through subgraph 2\)/);
    expect(malformedMessage(tinyModel([call(0)]))).toMatch(/subgraph 0 calls itself/);
    expect(malformedMessage(tinyModel([call(5)]))).toMatch(/calls subgraph 5, but there are 1/);
    // a long chain of calls is walked without recursion
    const many = Array.from({ length: 3000 }, (_, i) => (i < 2999 ? call(i + 1) : addModel()));
    expect(readTflite(tinyModel(many)).subgraphs).toHaveLength(3000);
  });

  it('refuses negative dimensions and constant data that does not match its shape', () => {
    const neg: TinySubgraph = { ...addModel(), tensors: [{ shape: [1, -4] }, { shape: [1, 4] }] };
    expect(malformedMessage(tinyModel([neg]))).toMatch(/tensor 0 has dimension -4/);
    const sig: TinySubgraph = { ...addModel(), tensors: [{ shape: [1, 4], signature: [-2, 4] }, { shape: [1, 4] }] };
    expect(malformedMessage(tinyModel([sig]))).toMatch(/dimension -2 in its shape signature/);
    const data: TinySubgraph = {
      tensors: [{ shape: [1, 4] }, { shape: [2, 2], type: TensorType.INT32, data: new Uint8Array(12) }, { shape: [1, 4] }],
      ops: [{ op: ADD, inputs: [0, 1], outputs: [2] }],
      inputs: [0],
      outputs: [2],
    };
    expect(malformedMessage(tinyModel([data]))).toMatch(/tensor 1 \(INT32 \[2, 2\]\) needs 16 bytes of data, its buffer has 12/);
  });

  it('refuses absurd dimensions without allocating for them', () => {
    const huge: TinySubgraph = {
      tensors: [{ shape: [1, 4] }, { shape: [2147483647, 2147483647], data: new Uint8Array(4) }, { shape: [1, 4] }],
      ops: [{ op: ADD, inputs: [0, 1], outputs: [2] }],
      inputs: [0],
      outputs: [2],
    };
    expect(malformedMessage(tinyModel([huge]))).toMatch(/needs 4611686014132420600 bytes of data, its buffer has 4/);
    // an activation may be absurdly large: it is only a shape
    const act: TinySubgraph = { ...addModel(), tensors: [{ shape: [65536, 65536, 65536] }, { shape: [1] }] };
    expect(readTflite(tinyModel([act])).subgraphs[0]!.tensors[0]!.shape).toEqual([65536, 65536, 65536]);
  });
});
