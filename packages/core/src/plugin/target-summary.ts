import type { Finding, OpVerdict, Partition, TargetSummary } from './target.js';
import type { TargetModel } from './target-model.js';

/**
 * Tensors handed between places: a CPU op and an accelerator partition, or two partitions (which
 * pass through CPU memory). Each costs a copy at run time; counted once per tensor.
 */
export function countTransitions(model: TargetModel, ops: readonly OpVerdict[]): number {
  let count = 0;
  model.subgraphs.forEach((sg, s) => {
    const own = ops.filter((o) => o.subgraph === s);
    const place = (i: number): string => (own[i]?.placement === 'accelerator' ? `p${own[i]!.partition ?? -1}` : 'cpu');
    const producer = new Map<number, number>();
    sg.operators.forEach((op, i) => op.outputs.forEach((t) => producer.has(t) || producer.set(t, i)));
    const crossing = new Set<number>();
    sg.operators.forEach((op, i) => {
      for (const t of op.inputs) {
        const p = producer.get(t);
        if (p !== undefined && p !== i && place(p) !== place(i)) crossing.add(t);
      }
    });
    count += crossing.size;
  });
  return count;
}

export function summarize(model: TargetModel, ops: readonly OpVerdict[], partitions: readonly Partition[], notes: readonly Finding[]): TargetSummary {
  const on = ops.filter((o) => o.placement === 'accelerator');
  const blocked = ops.some((o) => o.placement === 'blocks');
  const verdict = blocked ? 'blocked' : ops.length > 0 && on.length === ops.length ? 'accelerator' : on.length === 0 ? 'cpu' : 'partial';
  return {
    verdict,
    ops: ops.length,
    opsOnAccelerator: on.length,
    macs: ops.reduce((a, o) => a + o.macs, 0),
    macsOnAccelerator: on.reduce((a, o) => a + o.macs, 0),
    partitions: partitions.length,
    transitions: countTransitions(model, ops),
    warnings: ops.reduce((a, o) => a + o.findings.filter((f) => f.effect === 'warn').length, 0) + notes.filter((n) => n.effect === 'warn').length,
  };
}
