import type { QuantizeSpec } from '@qatkit/core';
import { fail, quantOf, type PlanContext } from './context.js';
import type { PlanNode, PlanOp } from './types.js';

/** An activation to plan: an Activation/Softmax layer, or one split off a conv/dense layer. */
export interface ActivationSite {
  readonly id: string;
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly input: string;
  readonly shape: readonly (number | null)[];
  readonly application: number;
  readonly layers: readonly string[];
  /** Split off another layer (a conv's own sigmoid): built from className/config in QAT. */
  readonly lowered?: boolean;
}

/**
 * The node(s) of an activation. Most are one op; swish (x·sigmoid(x), TFLite has no SWISH) is
 * LOGISTIC then MUL by its input, the logistic on its fixed (1/256, −128) grid, so the QAT model
 * builds the same two steps from these nodes (an Activation(sigmoid) and a Multiply layer).
 */
export function lowerActivation(ctx: PlanContext, site: ActivationSite, spec: QuantizeSpec): PlanNode[] {
  const base = { layers: site.layers, application: site.application, shape: site.shape, activation: 'none' as const };
  const lowered = site.lowered ? { lowered: true } : {};
  if (site.className === 'Activation' && site.config['activation'] === 'swish') {
    const sigmoidConfig = { activation: 'sigmoid' };
    const sig = ctx.scheme.registry.lookup({ className: 'Activation', name: `${site.name}_sigmoid`, config: sigmoidConfig });
    if (!sig || sig.op !== 'Logistic') fail(`activation "swish" of "${site.name}" needs the ${ctx.scheme.name} scheme's Activation(sigmoid) row (Logistic), which it lacks`);
    const sigId = `${site.id}_sigmoid`;
    return [
      { ...base, lowered: true, id: sigId, name: `${site.name}_sigmoid`, className: 'Activation', config: sigmoidConfig, op: 'Logistic', inputs: [site.input], output: quantOf(sig.output, 'Logistic') },
      { ...base, lowered: true, id: site.id, name: site.name, className: 'Multiply', config: {}, op: 'Mul', inputs: [site.input, sigId], output: quantOf(spec.output, 'Mul') },
    ];
  }
  return [{ ...base, ...lowered, id: site.id, name: site.name, className: site.className, config: site.config, op: spec.op as PlanOp, inputs: [site.input], output: quantOf(spec.output, String(spec.op)) }];
}
