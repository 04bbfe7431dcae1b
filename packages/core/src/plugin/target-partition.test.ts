import { describe, expect, it } from 'vitest';
import { act, chain, model } from '../test-utils/target-model.js';
import type { PartitioningModel } from './target.js';
import { dependencies, nodeSubsets, partitionSubgraph } from './target-partition.js';

const src = { source: 'test', confidence: 'SRC' } as const;
const single: PartitioningModel = { kind: 'single-segment', rule: 'one segment', status: 'More than one subgraph is not supported', ...src };
const largest = (maxPartitions: number): PartitioningModel => ({ kind: 'largest', maxPartitions, rule: 'largest', ...src });
const unlimited: PartitioningModel = { kind: 'unlimited', rule: 'any', ...src };

const sg = (opcodes: string[]) => chain(opcodes).subgraphs[0]!;
const flags = (s: string) => [...s].map((c) => c === 'A');

describe('nodeSubsets (TFLite PartitionGraphIntoIndependentNodeSubsets)', () => {
  it('cuts a chain into runs of one kind', () => {
    const g = sg(['A', 'A', 'C', 'A', 'C', 'C', 'A']);
    const { deps, users } = dependencies(g);
    expect(nodeSubsets(flags('AACACCA'), deps, users)).toEqual([
      { delegated: true, ops: [0, 1] },
      { delegated: false, ops: [2] },
      { delegated: true, ops: [3] },
      { delegated: false, ops: [4, 5] },
      { delegated: true, ops: [6] },
    ]);
  });

  it('merges delegated ops on independent branches into one subset', () => {
    // x0 → A0 → x1 → C1 → x2 ; x0 → A2 → x3 ; (x2, x3) → A3 → x4
    const tensors = [0, 1, 2, 3, 4].map((i) => act([1, 4], 'INT8', { name: `x${i}` }));
    const m = model(tensors, [['A', [0], [1]], ['C', [1], [2]], ['A', [0], [3]], ['A', [2, 3], [4]]]);
    const { deps, users } = dependencies(m.subgraphs[0]!);
    expect(nodeSubsets([true, false, true, true], deps, users)).toEqual([
      { delegated: true, ops: [0, 2] },
      { delegated: false, ops: [1] },
      { delegated: true, ops: [3] },
    ]);
  });
});

describe('partitionSubgraph', () => {
  it('single-segment: everything after the first CPU op stays on the CPU', () => {
    expect(partitionSubgraph(sg(['A', 'A', 'C', 'A', 'A']), flags('AACAA'), single)).toEqual({ partitions: [[0, 1]], demoted: [3, 4] });
  });

  it('single-segment: leading CPU ops (a float input QUANTIZE) do not cut the segment', () => {
    expect(partitionSubgraph(sg(['C', 'A', 'A', 'C']), flags('CAAC'), single)).toEqual({ partitions: [[1, 2]], demoted: [] });
  });

  it('single-segment: a branch not downstream of the break keeps its ops', () => {
    const tensors = [0, 1, 2, 3, 4].map((i) => act([1, 4], 'INT8', { name: `x${i}` }));
    // A0 → C1 → A2 (cut) ; A3 reads x0 only
    const m = model(tensors, [['A', [0], [1]], ['C', [1], [2]], ['A', [2], [3]], ['A', [0], [4]]]);
    expect(partitionSubgraph(m.subgraphs[0]!, [true, false, true, true], single)).toEqual({ partitions: [[0, 3]], demoted: [2] });
  });

  it('largest: keeps the N largest partitions by op count', () => {
    const g = sg(['A', 'C', 'A', 'A', 'A', 'C', 'A', 'A', 'C', 'A', 'C', 'A', 'A']);
    const supported = flags('ACAAACAACACAA');
    expect(partitionSubgraph(g, supported, largest(2))).toEqual({ partitions: [[2, 3, 4], [6, 7]], demoted: [0, 9, 11, 12] });
    expect(partitionSubgraph(g, supported, largest(0)).partitions).toHaveLength(5);
    expect(partitionSubgraph(g, supported, unlimited)).toEqual({ partitions: [[0], [2, 3, 4], [6, 7], [9], [11, 12]], demoted: [] });
  });

  it('handles an empty graph and a graph with nothing supported', () => {
    expect(partitionSubgraph(sg([]), [], unlimited)).toEqual({ partitions: [], demoted: [] });
    expect(partitionSubgraph(sg(['C', 'C']), [false, false], single)).toEqual({ partitions: [], demoted: [] });
  });
});

describe('partitionSubgraph on op lists out of execution order', () => {
  it('still partitions what is ready, and demotes ops caught in a cycle', () => {
    const tensors = [0, 1, 2].map((i) => act([1, 4], 'INT8', { name: `x${i}` }));
    // written in reverse: op 0 reads what op 1 writes
    const reversed = model(tensors, [['A', [1], [2]], ['A', [0], [1]]]);
    expect(partitionSubgraph(reversed.subgraphs[0]!, [true, true], unlimited)).toEqual({ partitions: [[0, 1]], demoted: [] });
    const cycle = model(tensors, [['A', [2], [1]], ['A', [1], [2]]]);
    expect(partitionSubgraph(cycle.subgraphs[0]!, [true, true], unlimited)).toEqual({ partitions: [], demoted: [0, 1] });
  });
});
