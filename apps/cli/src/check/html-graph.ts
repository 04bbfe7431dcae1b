import type { ModelSubgraph, OpVerdict } from '@qatkit/core';
import { edgePath, layoutSubgraph, NODE } from './graph-layout.js';

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One subgraph as an SVG: ops as boxes coloured by placement (class `p-<placement>`), dataflow as edges. */
export function graphSvg(sg: ModelSubgraph, verdicts: readonly OpVerdict[], key: string): string {
  const layout = layoutSubgraph(sg);
  const byIndex = new Map(verdicts.map((v) => [v.index, v]));
  const edges = layout.edges.map(([a, b]) => `<path d="${edgePath(layout.nodes[a]!, layout.nodes[b]!)}"/>`).join('');
  const nodes = layout.nodes
    .map((n) => {
      const v = byIndex.get(n.index);
      const placement = v?.placement ?? 'cpu';
      const classes = ['op', `p-${placement}`, v?.unconfirmed ? 'unconfirmed' : '', v?.findings.some((f) => f.effect === 'warn') ? 'warned' : ''].filter(Boolean).join(' ');
      const label = `${n.index} ${v?.opcode ?? sg.operators[n.index]!.opcode}`;
      const tip = `${label} — ${placement}${v?.status ? `: ${v.status}` : ''}${v?.findings[0] ? ` (${v.findings[0].values})` : ''}`;
      return (
        `<g class="${classes}" data-op="${key}:${n.index}" data-placement="${placement}" transform="translate(${n.x} ${n.y})">` +
        `<title>${escapeHtml(tip)}</title><rect width="${NODE.width}" height="${NODE.height}" rx="5"/>` +
        `<text x="8" y="16">${escapeHtml(label.length > 22 ? `${label.slice(0, 21)}…` : label)}</text></g>`
      );
    })
    .join('');
  return `<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="operator graph"><g class="edges">${edges}</g>${nodes}</svg>`;
}
