import { QatkitError } from '../errors.js';
import type { Graph, Op, OpAttrs, OpKind, Tensor } from './types.js';
import { validateGraph } from './validate.js';

/** Builds a Graph incrementally; names are made unique, and everything is checked at `build()`. */
export class GraphBuilder {
  private readonly tensors: Record<string, Tensor> = {};
  private readonly ops: Op[] = [];
  private readonly opNames = new Set<string>();
  private inputs: string[] = [];
  private outputs: string[] = [];

  constructor(private readonly name: string) {}

  /** Adds a tensor; if the name is taken, a numeric suffix is added. Returns the final name. */
  addTensor(tensor: Tensor): string {
    const name = this.unique(tensor.name, (n) => n in this.tensors);
    this.tensors[name] = { ...tensor, name };
    return name;
  }

  tensor(name: string): Tensor {
    const t = this.tensors[name];
    if (!t) throw new QatkitError('INVALID_GRAPH', `no tensor named "${name}"`);
    return t;
  }

  addOp<K extends OpKind>(kind: K, name: string, inputs: readonly string[], outputs: readonly string[], attrs: OpAttrs[K]): string {
    const opName = this.unique(name, (n) => this.opNames.has(n));
    this.opNames.add(opName);
    this.ops.push({ kind, name: opName, inputs: [...inputs], outputs: [...outputs], attrs } as Op);
    return opName;
  }

  setInputs(names: readonly string[]): this {
    this.inputs = [...names];
    return this;
  }

  setOutputs(names: readonly string[]): this {
    this.outputs = [...names];
    return this;
  }

  build(): Graph {
    const graph: Graph = { name: this.name, tensors: { ...this.tensors }, ops: [...this.ops], inputs: this.inputs, outputs: this.outputs };
    validateGraph(graph);
    return graph;
  }

  private unique(base: string, taken: (n: string) => boolean): string {
    if (!taken(base)) return base;
    for (let i = 1; ; i++) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
  }
}

/** Ops that read the given tensor. */
export function consumersOf(graph: Graph, tensor: string): Op[] {
  return graph.ops.filter((op) => op.inputs.includes(tensor));
}

export function producerOf(graph: Graph, tensor: string): Op | undefined {
  return graph.ops.find((op) => op.outputs.includes(tensor));
}
