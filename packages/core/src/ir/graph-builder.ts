import { QatkitError } from '../errors.js';
import type { Graph, Op, OpAttrs, OpKind, Tensor } from './types.js';

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

function fail(msg: string): never {
  throw new QatkitError('INVALID_GRAPH', msg);
}

/**
 * Structural checks every exporter relies on: tensors exist, ops are in topological order,
 * shapes are static, constant data matches its shape, and quantization parameters are sane.
 */
export function validateGraph(graph: Graph): void {
  const produced = new Set<string>(graph.inputs);
  for (const name of graph.inputs) if (!graph.tensors[name]) fail(`graph input "${name}" is not a tensor of the graph`);
  for (const t of Object.values(graph.tensors)) {
    if (t.data) produced.add(t.name);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`tensor "${t.name}" has a non-static shape [${t.shape.join(', ')}]`);
    if (t.data && t.data.length !== t.shape.reduce((a, b) => a * b, 1)) {
      fail(`tensor "${t.name}" holds ${t.data.length} values but its shape [${t.shape.join(', ')}] needs ${t.shape.reduce((a, b) => a * b, 1)}`);
    }
    const q = t.quantization;
    if (q) {
      if (q.scale.length === 0 || q.scale.length !== q.zeroPoint.length) fail(`tensor "${t.name}" has ${q.scale.length} scales and ${q.zeroPoint.length} zero points`);
      if (q.scale.some((s) => !Number.isFinite(s) || s <= 0)) fail(`tensor "${t.name}" has a non-positive or non-finite scale`);
      if (q.axis !== undefined && t.shape[q.axis] !== q.scale.length) {
        fail(`tensor "${t.name}" is quantized along axis ${q.axis} with ${q.scale.length} scales, but that dimension is ${t.shape[q.axis]}`);
      }
    }
  }
  for (const op of graph.ops) {
    for (const name of op.inputs) {
      if (!graph.tensors[name]) fail(`op "${op.name}" (${op.kind}) reads missing tensor "${name}"`);
      if (!produced.has(name)) fail(`op "${op.name}" (${op.kind}) reads "${name}" before any op produces it`);
    }
    for (const name of op.outputs) {
      if (!graph.tensors[name]) fail(`op "${op.name}" (${op.kind}) writes missing tensor "${name}"`);
      produced.add(name);
    }
  }
  for (const name of graph.outputs) if (!produced.has(name)) fail(`graph output "${name}" is never produced`);
}

/** Ops that read the given tensor. */
export function consumersOf(graph: Graph, tensor: string): Op[] {
  return graph.ops.filter((op) => op.inputs.includes(tensor));
}

export function producerOf(graph: Graph, tensor: string): Op | undefined {
  return graph.ops.find((op) => op.outputs.includes(tensor));
}
