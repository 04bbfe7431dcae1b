import { GraphBuilder, QatkitError, activationQuantization, quantize, type Graph, type OpKind, type Quantization } from '@qatkit/core';
import { WEIGHTED_OPS } from '../plan/context.js';
import { fakeQuantName, inputQuantName, type Plan, type PlanNode } from '../plan/types.js';
import { clampBounds, emitClamp } from './clamp-nbit.js';
import { attrsOf, SAME_SCALE_INPUTS } from './emit-ops.js';
import { emitWeighted, type Value } from './emit-weighted.js';
import type { ParamSource } from './params.js';

export interface EmitOptions {
  readonly batchSize: number;
  readonly name: string;
}


function staticShape(shape: readonly (number | null)[], batch: number, what: string): number[] {
  return shape.map((d, i) => {
    if (i === 0) return batch;
    if (d == null) throw new QatkitError('INVALID_SHAPE', `${what} has an unknown dimension ${i}; give the model a fully defined input shape`);
    return d;
  });
}

const sameQuant = (a: Quantization | undefined, b: Quantization | undefined) =>
  a === b || (!!a && !!b && a.scale[0] === b.scale[0] && a.zeroPoint[0] === b.zeroPoint[0]);

/**
 * The IR graph of a plan: int8 with the QAT model's parameters, or float32 with the float model's
 * (the same walk; `params` decides). Tensors are named after the plan's values, ops after layers.
 */
export function emitGraph(plan: Plan, params: ParamSource, options: EmitOptions): Graph {
  const b = new GraphBuilder(options.name);
  const byId = new Map<string, PlanNode>(plan.nodes.map((n) => [n.id, n]));
  const inputById = new Map(plan.inputs.map((i) => [i.id, i]));
  const quants = new Map<string, Quantization>();

  /** A value's quantization, following same-scale ops back to where it is decided. */
  const quantOf = (id: string): Quantization => {
    const known = quants.get(id);
    if (known) return known;
    const input = inputById.get(id);
    const node = byId.get(id);
    let q: Quantization;
    if (input) q = params.quant(inputQuantName(id), input.output);
    else if (!node) throw new QatkitError('INVALID_GRAPH', `the plan reads value "${id}", which nothing produces`);
    else if (node.output.kind === 'same-as-input') q = quantOf(node.inputs[0]!);
    else if (node.output.kind === 'shared') q = quantOf(node.output.value);
    else if (node.output.kind === 'float') throw new QatkitError('INVALID_GRAPH', `value "${id}" is left in float`);
    else q = params.quant(fakeQuantName(id), node.output);
    quants.set(id, q);
    return q;
  };
  /** Left in float: everything in a float export, the unannotated regions of a QAT model. */
  const isFloat = (id: string): boolean => {
    if (params.float) return true;
    const q = inputById.get(id)?.output ?? byId.get(id)?.output;
    return q?.kind === 'float' || (q?.kind === 'same-as-input' && isFloat(byId.get(id)!.inputs[0]!)) || (q?.kind === 'shared' && isFloat(q.value));
  };
  const quantIf = (id: string) => (isFloat(id) ? undefined : quantOf(id));
  const tensor = (name: string, shape: number[], quant: Quantization | undefined) =>
    b.addTensor({ name, shape, dtype: quant ? 'int8' : 'float32', ...(quant ? { quantization: quant } : {}) });

  /** A constant operand: float32, or int8 per tensor on its own [min, max] as QuantConstOp fake-quantized it. */
  const constantTensor = (node: PlanNode, float: boolean): string => {
    const { data, shape } = params.constant(node);
    const name = `${node.name}/constant`;
    if (float || !node.constant?.quantizer) return b.addTensor({ name, shape, dtype: 'float32', data: Float32Array.from(data) });
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const q = activationQuantization(lo, hi, node.constant.quantizer, name);
    return b.addTensor({ name, shape, dtype: 'int8', data: quantize(data, shape, q) as Int8Array, quantization: q });
  };

  const values = new Map<string, Value>();
  for (const i of plan.inputs) {
    const shape = staticShape(i.shape, options.batchSize, `input "${i.id}"`);
    const quant = quantIf(i.id);
    values.set(i.id, { tensor: tensor(i.id, shape, quant), shape, ...(quant ? { quant } : {}) });
  }
  for (const node of plan.nodes) {
    const ins = node.inputs.map((id) => values.get(id)!);
    const shape = staticShape(node.shape, options.batchSize, `layer "${node.name}"`);
    const quant = quantIf(node.id);
    const out: Value = { tensor: tensor(node.id, shape, quant), shape, ...(quant ? { quant } : {}) };
    // Same-scale ops with several inputs read them on the output's grid: requantize where they differ.
    const requantized = ins.map((v) => !!quant && SAME_SCALE_INPUTS.has(node.op) && !sameQuant(v.quant, quant));
    // Ops that only move or copy values already on the n-bit grid need no clamp (clamp-nbit.ts).
    const moves = node.output.kind === 'same-as-input' || (SAME_SCALE_INPUTS.has(node.op) && !requantized.some(Boolean));
    const clamp = quant && !moves ? clampBounds(quant, node.op, node.activation) : undefined;
    const target = clamp ? { ...out, tensor: tensor(`${node.id}/unclamped`, shape, quant) } : out;
    if (WEIGHTED_OPS.has(node.op)) {
      const float = isFloat(node.id);
      const scales = float ? [] : plan.nodes.filter((n) => n.name === node.name).map((n) => quantOf(n.inputs[0]!).scale[0]!);
      emitWeighted(b, node, ins[0]!, target, params, Math.min(...scales), float);
    } else {
      const inputs = ins.map((v, k) => {
        if (!requantized[k]) return v.tensor;
        const t = tensor(`${node.inputs[k]}/requantized_for_${node.name}`, [...v.shape], quant);
        b.addOp('Quantize', `${node.name}/requantize_${k}`, [v.tensor], [t], {});
        return t;
      });
      if (node.constant) inputs.push(constantTensor(node, !quant));
      b.addOp(node.op as OpKind, node.name, inputs, [target.tensor], attrsOf(node, ins[0]!.shape, shape) as never);
    }
    if (clamp) emitClamp(b, node.name, target.tensor, out.tensor, shape, quant!, clamp);
    values.set(node.id, out);
  }
  return b
    .setInputs(plan.inputs.map((i) => values.get(i.id)!.tensor))
    .setOutputs(plan.outputs.map((id) => values.get(id)!.tensor))
    .build();
}
