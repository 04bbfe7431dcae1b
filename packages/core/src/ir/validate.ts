import { QatkitError } from '../errors.js';
import { checkShapes } from './shape-rules.js';
import type { DType, Graph } from './types.js';

const DTYPES: readonly DType[] = ['float32', 'int8', 'uint8', 'int16', 'int32'];

function fail(msg: string): never {
  throw new QatkitError('INVALID_GRAPH', msg);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');

/**
 * The graph is shaped like a Graph at all: callers from plain JavaScript (or a JSON file) get a
 * message naming the wrong field instead of a TypeError from deep inside an exporter.
 */
function checkStructure(graph: unknown): asserts graph is Graph {
  const what = 'expected a qatkit Graph ({ name, tensors, ops, inputs, outputs }, e.g. from toGraph())';
  if (!isObject(graph)) fail(`${what}; got ${graph === null ? 'null' : typeof graph}`);
  if (typeof graph['name'] !== 'string') fail(`${what}; "name" is not a string`);
  if (!isObject(graph['tensors']) || Array.isArray(graph['tensors'])) fail(`${what}; "tensors" is not an object of tensors by name`);
  if (!Array.isArray(graph['ops'])) fail(`${what}; "ops" is not an array`);
  if (!isStringArray(graph['inputs']) || !isStringArray(graph['outputs'])) fail(`${what}; "inputs" and "outputs" must be arrays of tensor names`);
  for (const [key, t] of Object.entries(graph['tensors'])) {
    if (!isObject(t) || t['name'] !== key) fail(`tensor entry "${key}" must be a tensor whose name is "${key}"`);
    if (!isNumberArray(t['shape'])) fail(`tensor "${key}" has no shape array`);
    if (!DTYPES.includes(t['dtype'] as DType)) fail(`tensor "${key}" has dtype ${JSON.stringify(t['dtype'])}; expected one of ${DTYPES.join(', ')}`);
    const q = t['quantization'];
    if (q !== undefined && (!isObject(q) || !isNumberArray(q['scale']) || !isNumberArray(q['zeroPoint']))) {
      fail(`tensor "${key}" has quantization without scale and zeroPoint arrays`);
    }
    if (t['data'] !== undefined && !ArrayBuffer.isView(t['data'])) fail(`tensor "${key}" has data that is not a typed array`);
  }
  (graph['ops'] as unknown[]).forEach((op, i) => {
    if (!isObject(op) || typeof op['kind'] !== 'string' || typeof op['name'] !== 'string') fail(`ops[${i}] must have a string kind and name`);
    if (!isStringArray(op['inputs']) || !isStringArray(op['outputs'])) fail(`op "${String(op['name'])}" must have inputs and outputs as arrays of tensor names`);
    if (op['outputs'].length === 0) fail(`op "${op['name']}" (${op['kind']}) has no outputs`);
    if (!isObject(op['attrs'])) fail(`op "${op['name']}" (${op['kind']}) has no attrs object`);
  });
}

/**
 * Structural checks every exporter relies on: the object is a graph, it has inputs, outputs and
 * ops, tensors exist, ops are in topological order, shapes are static and agree with what each op
 * computes, constant data matches its shape, and quantization parameters are sane.
 */
export function validateGraph(graph: Graph): void {
  checkStructure(graph);
  if (graph.inputs.length === 0 || graph.outputs.length === 0) fail(`graph "${graph.name}" has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs; it needs at least one of each`);
  if (graph.ops.length === 0) fail(`graph "${graph.name}" has no ops`);
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
      if (q.zeroPoint.some((z) => !Number.isInteger(z))) fail(`tensor "${t.name}" has a non-integer zero point`);
      if (q.axis !== undefined && (!Number.isInteger(q.axis) || q.axis < 0 || q.axis >= t.shape.length)) fail(`tensor "${t.name}" is quantized along axis ${q.axis}, which it does not have`);
      if (q.axis !== undefined && t.shape[q.axis] !== q.scale.length) {
        fail(`tensor "${t.name}" is quantized along axis ${q.axis} with ${q.scale.length} scales, but that dimension is ${t.shape[q.axis]}`);
      }
    }
  }
  const written = new Set<string>();
  for (const op of graph.ops) {
    for (const name of op.inputs) {
      if (!graph.tensors[name]) fail(`op "${op.name}" (${op.kind}) reads missing tensor "${name}"`);
      if (!produced.has(name)) fail(`op "${op.name}" (${op.kind}) reads "${name}" before any op produces it`);
    }
    for (const name of op.outputs) {
      const t = graph.tensors[name];
      if (!t) fail(`op "${op.name}" (${op.kind}) writes missing tensor "${name}"`);
      if (t.data || graph.inputs.includes(name) || written.has(name)) fail(`op "${op.name}" (${op.kind}) writes "${name}", which is a constant, a graph input or another op's output`);
      written.add(name);
      produced.add(name);
    }
  }
  for (const name of graph.outputs) if (!produced.has(name)) fail(`graph output "${name}" is never produced`);
  checkShapes(graph);
}
