import type { QuantizerSpec } from '@qatkit/core';
import type { Plan, PlanInput, PlanNode } from './types.js';

/**
 * Leaves the nodes `quantized` says no to in float, and puts a QUANTIZE node (learned range, or
 * the input's running range for a model input) where a float value feeds a quantized node and a
 * DEQUANTIZE node where a quantized value feeds a float one. tfmot's quantize_annotate + apply.
 */
export function withFloatRegions(plan: Plan, quantized: (node: PlanNode) => boolean, inputQuantizer: QuantizerSpec): Plan {
  const isQ = new Map<string, boolean>();
  const consumersQ = (id: string) => plan.nodes.filter((n) => n.inputs.includes(id)).map((n) => quantized(n));
  const inputs: PlanInput[] = plan.inputs.map((i) => {
    // An input read only by quantized nodes is quantized at the edge, as in a fully quantized model.
    const q = consumersQ(i.id);
    const whole = q.length > 0 && q.every(Boolean);
    isQ.set(i.id, whole);
    return whole ? i : { ...i, output: { kind: 'float' } };
  });
  const nodes: PlanNode[] = [];
  const boundary = new Map<string, string>();
  const cross = (value: string, toQuantized: boolean): string => {
    const key = `${value}|${toQuantized}`;
    const known = boundary.get(key);
    if (known) return known;
    const id = `${value}_${toQuantized ? 'quantized' : 'dequantized'}`;
    const source = plan.nodes.find((n) => n.id === value) ?? plan.inputs.find((i) => i.id === value)!;
    const fromInput = plan.inputs.some((i) => i.id === value);
    nodes.push({
      id,
      name: id,
      layers: [],
      className: toQuantized ? 'Quantize' : 'Dequantize',
      config: {},
      op: toQuantized ? 'Quantize' : 'Dequantize',
      inputs: [value],
      shape: source.shape,
      activation: 'none',
      application: 0,
      output: toQuantized ? (fromInput ? { kind: 'input', quantizer: inputQuantizer } : { kind: 'learned', quantizer: inputQuantizer }) : { kind: 'float' },
    });
    boundary.set(key, id);
    isQ.set(id, toQuantized);
    return id;
  };
  for (const node of plan.nodes) {
    const q = quantized(node);
    const inputsOf = node.inputs.map((v) => (isQ.get(v) === q ? v : cross(v, q)));
    const { weights: _w, ...rest } = node;
    nodes.push(q ? { ...node, inputs: inputsOf } : { ...rest, inputs: inputsOf, output: { kind: 'float' } });
    isQ.set(node.id, q);
  }
  return { ...plan, inputs, nodes };
}
