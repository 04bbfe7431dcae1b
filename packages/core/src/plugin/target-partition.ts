import type { PartitioningModel } from './target.js';
import type { ModelSubgraph } from './target-model.js';

/** For each op, the ops whose outputs it reads (distinct, same subgraph), and the reverse. */
export function dependencies(sg: ModelSubgraph): { deps: number[][]; users: number[][] } {
  const producer = new Map<number, number>();
  sg.operators.forEach((op, i) => op.outputs.forEach((t) => producer.has(t) || producer.set(t, i)));
  const deps = sg.operators.map((op, i) => {
    const out = new Set<number>();
    for (const t of op.inputs) {
      const p = producer.get(t);
      if (p !== undefined && p !== i) out.add(p);
    }
    return [...out];
  });
  const users: number[][] = sg.operators.map(() => []);
  deps.forEach((ds, i) => ds.forEach((p) => users[p]!.push(i)));
  return { deps, users };
}

/**
 * TFLite's node-subset partitioning (`PartitionGraphIntoIndependentNodeSubsets`): the op lowest in
 * execution order that is not yet placed opens a subset of its kind (delegated or not), which then
 * takes every op of that kind whose inputs are ready, transitively. Linear time (Kahn's algorithm).
 */
export function nodeSubsets(delegated: readonly boolean[], deps: number[][], users: number[][]): { delegated: boolean; ops: number[] }[] {
  const n = delegated.length;
  const pending = deps.map((d) => d.length);
  const ready: [number[], number[]] = [[], []];
  const kind = (i: number) => (delegated[i] ? 1 : 0);
  for (let i = 0; i < n; i++) if (pending[i] === 0) ready[kind(i)].push(i);
  const placed = new Uint8Array(n);
  const out: { delegated: boolean; ops: number[] }[] = [];
  let next = 0;
  for (;;) {
    while (next < n && placed[next]) next++;
    if (next === n) break;
    let k = kind(next);
    // An op list out of execution order: the lowest op may wait on a later one; take what is ready.
    if (ready[k].length === 0) k = 1 - k;
    const queue = ready[k];
    if (queue.length === 0) {
      // A cycle: nothing is ready. The rest cannot run anywhere as a partition.
      out.push({ delegated: false, ops: [...Array(n).keys()].filter((i) => !placed[i]) });
      break;
    }
    const ops: number[] = [];
    while (queue.length > 0) {
      const i = queue.pop()!;
      placed[i] = 1;
      ops.push(i);
      for (const u of users[i]!) if (--pending[u]! === 0) ready[kind(u)].push(u);
    }
    out.push({ delegated: k === 1, ops: ops.sort((a, b) => a - b) });
  }
  return out;
}

/**
 * Coral's compiler: one Edge TPU segment. A supported op stays on the TPU unless a CPU op that
 * comes after the segment began lies upstream of it ("More than one subgraph is not supported").
 * CPU ops before the segment (a float input's QUANTIZE) do not cut it.
 */
function singleSegment(supported: readonly boolean[], deps: number[][]): { partitions: number[][]; demoted: number[] } {
  const n = supported.length;
  const tpu = new Uint8Array(n);
  const afterTpu = new Uint8Array(n);
  const poisoned = new Uint8Array(n);
  const demoted: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const p of deps[i]!) {
      if (p > i) continue;
      if (tpu[p] || afterTpu[p]) afterTpu[i] = 1;
      if (poisoned[p] || (!tpu[p] && afterTpu[p])) poisoned[i] = 1;
    }
    if (supported[i] && !poisoned[i]) tpu[i] = 1;
    else if (supported[i]) demoted.push(i);
  }
  const segment = [...tpu.keys()].filter((i) => tpu[i]);
  return { partitions: segment.length > 0 ? [segment] : [], demoted };
}

/**
 * Cuts one subgraph into accelerator partitions as the target's delegate or compiler does.
 * `supported`: the op passed every rule. Returns the partitions (op indices) and the supported
 * ops the partitioning leaves on the CPU.
 */
export function partitionSubgraph(sg: ModelSubgraph, supported: readonly boolean[], model: PartitioningModel): { partitions: number[][]; demoted: number[] } {
  const { deps, users } = dependencies(sg);
  if (model.kind === 'single-segment') return singleSegment(supported, deps);
  const all = nodeSubsets(supported, deps, users)
    .filter((s) => s.delegated)
    .map((s) => s.ops);
  // TFLite's LimitDelegatedPartitions: keep the N largest by op count (earlier first on ties).
  const limit = model.kind === 'largest' && model.maxPartitions > 0 ? model.maxPartitions : Infinity;
  const keep = new Set([...all].sort((a, b) => b.length - a.length || a[0]! - b[0]!).slice(0, limit));
  const partitions = all.filter((p) => keep.has(p));
  const inPartition = new Set(partitions.flat());
  // Supported ops in a dropped partition, or in a cycle (no partition can hold them).
  const demoted = supported.flatMap((ok, i) => (ok && !inPartition.has(i) ? [i] : []));
  return { partitions, demoted };
}
