import { malformed } from './read-tensors.js';
import type { TfliteSubgraphSummary } from './summary.js';

/** Option fields that name another subgraph (control flow), by options table. */
const SUBGRAPH_FIELDS: Readonly<Record<string, readonly string[]>> = {
  CallOptions: ['subgraph'],
  IfOptions: ['thenSubgraphIndex', 'elseSubgraphIndex'],
  WhileOptions: ['condSubgraphIndex', 'bodySubgraphIndex'],
  CallOnceOptions: ['initSubgraphIndex'],
};

/**
 * Operators run in file order, so a tensor must be written before it is read, and by one operator
 * only; anything else is a cycle (or two writers), which no converter produces. Variable tensors
 * (state) are read before anything writes them, by design.
 */
function checkSubgraph(sg: TfliteSubgraphSummary, index: number): void {
  const writer = new Int32Array(sg.tensors.length).fill(-1);
  sg.operators.forEach((op, i) => {
    for (const t of op.outputs) {
      if (writer[t] !== -1) malformed(`subgraph ${index}: tensor ${t} is written by operators ${writer[t]} and ${i}`);
      writer[t] = i;
    }
  });
  sg.operators.forEach((op, i) => {
    for (const t of op.inputs) {
      if (t < 0 || writer[t]! < i || sg.tensors[t]!.isVariable) continue;
      malformed(`subgraph ${index}: operator ${i} reads tensor ${t} that operator ${writer[t]} writes later (a cycle)`);
    }
  });
}

/** The subgraphs each subgraph calls through control-flow options, range-checked. */
function callees(subgraphs: readonly TfliteSubgraphSummary[], index: number): number[] {
  const out: number[] = [];
  for (const op of subgraphs[index]!.operators) {
    const fields = op.optionsType ? SUBGRAPH_FIELDS[op.optionsType] : undefined;
    for (const field of fields ?? []) {
      const target = op.options[field];
      if (typeof target !== 'number') continue;
      if (!Number.isInteger(target) || target < 0 || target >= subgraphs.length) {
        malformed(`subgraph ${index}: ${op.opcode} calls subgraph ${target}, but there are ${subgraphs.length}`);
      }
      out.push(target);
    }
  }
  return out;
}

/** Control flow may not recurse: a subgraph that calls itself, directly or not, never ends. Iterative DFS. */
function checkCalls(subgraphs: readonly TfliteSubgraphSummary[]): void {
  const state = new Uint8Array(subgraphs.length); // 0 new, 1 on the stack, 2 done
  const edges = subgraphs.map((_, i) => callees(subgraphs, i));
  for (let root = 0; root < subgraphs.length; root++) {
    if (state[root] !== 0) continue;
    const stack: [node: number, next: number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, next] = top;
      if (next >= edges[node]!.length) {
        state[node] = 2;
        stack.pop();
        continue;
      }
      top[1] = next + 1;
      const callee = edges[node]![next]!;
      if (state[callee] === 1) malformed(`subgraph ${callee} calls itself (through subgraph ${node})`);
      if (state[callee] === 0) {
        state[callee] = 1;
        stack.push([callee, 0]);
      }
    }
  }
}

/** Throws MALFORMED_MODEL on dataflow cycles, double writers and recursive control flow. */
export function checkDataflow(subgraphs: readonly TfliteSubgraphSummary[]): void {
  subgraphs.forEach(checkSubgraph);
  checkCalls(subgraphs);
}
