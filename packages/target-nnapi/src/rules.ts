import { activations, fusedActivation, isFloat, isPerAxis, shapeText, type OpContext, type TargetRule } from '@qatkit/core';

export interface NnapiConfig {
  /** Android API level (the delegate's target feature level). */
  readonly api: number;
}

export type Rule = TargetRule<NnapiConfig>;

/** The delegate's Validate function, read in full (shared/reference/targets.md §2). */
export const VALIDATE = 'tensorflow/tensorflow tensorflow/lite/delegates/nnapi/nnapi_delegate.cc @ acdcab50 (NNAPIDelegateKernel::Validate)';
export const src = { source: VALIDATE, confidence: 'SRC' } as const;

export const FQ8 = ['FLOAT32', 'UINT8', 'INT8'] as const;

/**
 * Input `k`'s type must be one the delegate takes at this API level: `byApi` lists [first API, types]
 * in ascending order; the last entry at or below the target's level applies.
 */
export function inputTypes(id: string, byApi: readonly (readonly [number, readonly string[]])[], k = 0): Rule {
  const text = byApi.map(([api, types]) => `${api}+: ${types.join(', ')}`).join('; ');
  return {
    id,
    rule: `Input ${k} type: ${text}.`,
    effect: 'cpu',
    status: 'Unsupported input operand type',
    ...src,
    test: (c, { api }) => {
      const t = c.inputs[k];
      const allowed = [...byApi].reverse().find(([from]) => api >= from)?.[1];
      if (!t || !allowed || allowed.includes(t.type)) return undefined;
      return `input ${k} is ${t.type}; API ${api} takes ${allowed.join(', ')}`;
    },
  };
}

/** Shape, size, axis and permutation operands must be constants (kTfLiteMmapRo). */
export function constOperand(id: string, k: number, what: string): Rule {
  return {
    id,
    rule: `The ${what} (input ${k}) must be a constant tensor.`,
    effect: 'cpu',
    fix: 'make it a constant in the converted model (static shapes)',
    ...src,
    test: (c) => (c.inputs[k] !== undefined && !c.inputs[k]!.hasData ? `${what} "${c.inputs[k]!.name}" is computed at run time` : undefined),
  };
}

export function noFusedActivation(id: string, when: (c: OpContext, api: number) => boolean = () => true): Rule {
  return {
    id,
    rule: 'No fused activation.',
    effect: 'cpu',
    fix: 'export the activation as its own op',
    ...src,
    test: (c, { api }) => (when(c, api) && fusedActivation(c) !== 'NONE' ? `fused ${fusedActivation(c)}` : undefined),
  };
}

export function rankAtMost(id: string, max: number, which: readonly number[] = [0]): Rule {
  return {
    id,
    rule: `Input rank at most ${max}.`,
    effect: 'cpu',
    ...src,
    test: (c) => {
      const t = which.map((k) => c.inputs[k]).find((x) => x !== undefined && x.shape.length > max);
      return t ? `input ${shapeText(t.shape)} has rank ${t.shape.length} > ${max}` : undefined;
    },
  };
}

/** A feature of the op that needs a newer API level than the op itself. */
export function needsApi(id: string, api: number, what: string, uses: (c: OpContext) => string | undefined): Rule {
  return {
    id,
    rule: `${what} needs Android API level ${api}.`,
    effect: 'cpu',
    fix: `target API ${api} or later, or avoid the feature`,
    ...src,
    test: (c, config) => (config.api < api ? uses(c) : undefined),
  };
}

/** Float input with 8-bit weights (dynamic-range quantization). */
export const isHybrid = (c: OpContext, weights = 1): boolean => isFloat(c.inputs[0]) && (c.inputs[weights]?.type === 'INT8' || c.inputs[weights]?.type === 'UINT8');

export function noHybrid(id: string, beforeApi = Infinity): Rule {
  return {
    id,
    rule: 'Hybrid version of this op is not supported by NN API.',
    effect: 'cpu',
    status: 'Hybrid version of this op is not supported by NN API.',
    fix: 'quantize activations too (full-integer), or keep the op float',
    ...src,
    test: (c, { api }) => (api < beforeApi && isHybrid(c) ? `float input with ${c.inputs[1]!.type} weights` : undefined),
  };
}

/** uint8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED before API 29: input scale × filter scale < output scale. */
export const restrictedScales: Rule = {
  id: 'NN-G7',
  rule: 'Before NNAPI 1.2 (API 29), quantized uint8 convolutions need input_scale * filter_scale < output_scale.',
  effect: 'cpu',
  ...src,
  test: (c, { api }) => {
    const [input, filter] = c.inputs;
    const output = c.outputs[0];
    if (api >= 29 || input?.type !== 'UINT8' || !input.quantization || !filter?.quantization || !output?.quantization) return undefined;
    const product = input.quantization.scale[0]! * Math.max(...filter.quantization.scale);
    return product < output.quantization.scale[0]! ? undefined : `input × filter scale ${product.toPrecision(3)} ≥ output scale ${output.quantization.scale[0]!.toPrecision(3)}`;
  },
};

export const perChannelConv: Rule = {
  id: 'NN-G4',
  rule: 'Per-channel quantized convolution not supported before NNAPI 1.2.',
  effect: 'cpu',
  status: 'Per-channel quantized convolution not supported before NNAPI 1.2.',
  fix: 'target API 29 or later, or run QAT with per-tensor weights',
  ...src,
  test: (c, { api }) => (api < 29 && isPerAxis(c.inputs[1]) ? `per-channel filter (${c.inputs[1]!.quantization!.scale.length} scales)` : undefined),
};

/** Any activation tensor of these types. */
export const hasActivation = (c: OpContext, types: readonly string[]): boolean => activations(c).some((t) => types.includes(t.type));
