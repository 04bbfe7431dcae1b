import { buildTargetModel, modelTensor } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { edgePath, layoutSubgraph, NODE } from './graph-layout.js';

describe('layoutSubgraph', () => {
  it('puts each op one layer below the deepest op it reads, branches side by side', () => {
    // x0 → conv(1) → relu(2) ; add(3) reads x1 and x2 (a residual) ; a second head (4) reads x0
    const t = [0, 1, 2, 3, 4].map((i) => modelTensor([1, 4], 'INT8', { name: `x${i}` }));
    const m = buildTargetModel(t, [['CONV_2D', [0], [1]], ['RELU', [1], [2]], ['ADD', [1, 2], [3]], ['RELU', [0], [4]]]);
    const layout = layoutSubgraph(m.subgraphs[0]!);
    expect(layout.nodes.map((n) => [n.index, n.layer, n.column])).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [2, 2, 0],
      [3, 0, 1],
    ]);
    expect(layout.edges).toEqual([[0, 1], [0, 2], [1, 2]]);
    expect(layout.width).toBe(2 * NODE.margin + 2 * NODE.width + NODE.gapX + 40);
    // a skip connection bows out to the right; a neighbour is a straight line
    expect(edgePath(layout.nodes[0]!, layout.nodes[2]!)).toMatch(/^M\d+ \d+ C/);
    expect(edgePath(layout.nodes[0]!, layout.nodes[1]!)).toMatch(/^M\d+ \d+ L/);
  });

  it('ignores reads of tensors written later (op lists out of order) instead of looping', () => {
    const t = [0, 1, 2].map((i) => modelTensor([1, 4], 'INT8', { name: `x${i}` }));
    const m = buildTargetModel(t, [['RELU', [1], [2]], ['RELU', [0], [1]]]);
    expect(layoutSubgraph(m.subgraphs[0]!).nodes.map((n) => n.layer)).toEqual([0, 0]);
  });
});
