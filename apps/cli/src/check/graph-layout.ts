import type { ModelSubgraph } from '@qatkit/core';

export interface LayoutNode {
  readonly index: number;
  readonly layer: number;
  readonly column: number;
  readonly x: number;
  readonly y: number;
}

export interface Layout {
  readonly nodes: readonly LayoutNode[];
  /** [producer op, consumer op] */
  readonly edges: readonly (readonly [number, number])[];
  readonly width: number;
  readonly height: number;
}

export const NODE = { width: 150, height: 24, gapX: 24, gapY: 18, margin: 12 } as const;

/**
 * A layered drawing of one subgraph: an op's layer is one more than the deepest op it reads from,
 * ops of a layer sit side by side in execution order. Enough for the converters' mostly linear
 * graphs with branches (residual adds, concatenations); no crossing minimisation.
 */
export function layoutSubgraph(sg: ModelSubgraph): Layout {
  const producer = new Map<number, number>();
  sg.operators.forEach((op, i) => op.outputs.forEach((t) => producer.has(t) || producer.set(t, i)));
  const layer: number[] = [];
  const edges: [number, number][] = [];
  sg.operators.forEach((op, i) => {
    let deepest = -1;
    for (const t of new Set(op.inputs)) {
      const p = producer.get(t);
      if (p === undefined || p >= i) continue;
      edges.push([p, i]);
      deepest = Math.max(deepest, layer[p]!);
    }
    layer.push(deepest + 1);
  });
  const perLayer: number[] = [];
  const nodes = layer.map((l, index) => {
    const column = perLayer[l] ?? 0;
    perLayer[l] = column + 1;
    return { index, layer: l, column, x: NODE.margin + column * (NODE.width + NODE.gapX), y: NODE.margin + l * (NODE.height + NODE.gapY) };
  });
  const columns = Math.max(1, ...perLayer);
  const layers = Math.max(1, perLayer.length);
  return {
    nodes,
    edges,
    width: 2 * NODE.margin + columns * NODE.width + (columns - 1) * NODE.gapX + 40,
    height: 2 * NODE.margin + layers * NODE.height + (layers - 1) * NODE.gapY,
  };
}

/** An SVG path from the bottom of `a` to the top of `b`; long jumps bow out to the right so they do not cross the ops between. */
export function edgePath(a: LayoutNode, b: LayoutNode): string {
  const [x1, y1] = [a.x + NODE.width / 2, a.y + NODE.height];
  const [x2, y2] = [b.x + NODE.width / 2, b.y];
  if (b.layer - a.layer <= 1) return `M${x1} ${y1} L${x2} ${y2}`;
  const bow = Math.max(a.x, b.x) + NODE.width + 14;
  return `M${x1} ${y1} C${bow} ${y1 + 10} ${bow} ${y2 - 10} ${x2} ${y2}`;
}
