import type { Plan, PlanNode } from './types.js';

/** Same-scale ops whose inputs may take the output's parameters instead of being requantized. */
const SHARING_OPS = new Set(['Concatenation']);

/**
 * Lets each input of a concatenation that nothing else reads be quantized directly with the
 * concatenation's parameters (tfmot's ConcatTransform): the producer's output has no fake-quant of
 * its own, and the export needs no QUANTIZE (int8 → int8) op before the concatenation. XNNPACK's
 * requantization rounds with less precision than TFLite's reference kernel, so avoiding the op
 * is what keeps the deployed model equal to the trained one.
 */
export function shareSameScaleInputs(plan: Plan): Plan {
  const reads = new Map<string, number>();
  for (const n of plan.nodes) for (const i of n.inputs) reads.set(i, (reads.get(i) ?? 0) + 1);
  const outputs = new Set(plan.outputs);
  const shareWith = new Map<string, string>();
  for (const n of plan.nodes) {
    if (!SHARING_OPS.has(n.op) || n.output.kind !== 'learned') continue;
    for (const v of new Set(n.inputs)) {
      if (reads.get(v) === n.inputs.filter((i) => i === v).length && !outputs.has(v)) shareWith.set(v, n.id);
    }
  }
  const nodes = plan.nodes.map((n): PlanNode => {
    const target = shareWith.get(n.id);
    return target && n.output.kind === 'learned' ? { ...n, output: { kind: 'shared', value: target } } : n;
  });
  return { ...plan, nodes };
}
