import type { ModelTensor, OpContext } from './target-model.js';

/** Small predicates the vendor tables share; each returns plain facts for a rule's test. */

export const FLOAT_TYPES: ReadonlySet<string> = new Set(['FLOAT32', 'FLOAT16', 'BFLOAT16', 'FLOAT64']);

export const isFloat = (t: ModelTensor | undefined): boolean => t !== undefined && FLOAT_TYPES.has(t.type);

/** Quantized with one scale per slice (per-channel). */
export const isPerAxis = (t: ModelTensor | undefined): boolean => (t?.quantization?.scale.length ?? 0) > 1;

export const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** "INT16 [1, 8, 166, 2]": how findings name a tensor. */
export const tensorText = (t: ModelTensor): string => `${t.type} ${shapeText(t.shape)}`;

export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The tensors data flows through: non-constant inputs and every output; state tensors unless `withState` is false. */
export function activations(c: OpContext, withState = true): ModelTensor[] {
  const inputs = c.inputs.filter((t): t is ModelTensor => t !== undefined && !t.hasData && (withState || !t.isVariable));
  return [...inputs, ...c.outputs];
}

/** The op's fused activation ('NONE' when it has none). */
export const fusedActivation = (c: OpContext): string => {
  const f = c.options['fusedActivationFunction'];
  return typeof f === 'string' ? f : 'NONE';
};

/** Dimensions of size > 1 (a [1, 1, 16] tensor is effectively 1-D). */
export const effectiveRank = (shape: readonly number[]): number => shape.filter((d) => d > 1).length;

/**
 * TFLite's interpreter (interpreter_builder.cc, ParseQuantization) refuses a model whose tensor has
 * a quantized_dimension outside [0, rank), or a per-axis scale count that differs from that
 * dimension's size. TFLite Micro does not check. Returns the offending tensor, if any.
 */
export function quantizationRefusal(c: OpContext): string | undefined {
  for (const t of [...c.inputs, ...c.outputs]) {
    const q = t?.quantization;
    if (!t || !q || q.scale.length === 0) continue;
    const rank = t.shape.length;
    if (q.quantizedDimension < 0 || (rank > 0 && q.quantizedDimension >= rank)) {
      return `tensor "${t.name}" ${tensorText(t)} has quantized_dimension ${q.quantizedDimension}, outside [0, ${rank})`;
    }
    if (q.scale.length !== 1 && rank > 0 && q.scale.length !== t.shape[q.quantizedDimension]) {
      return `tensor "${t.name}" ${tensorText(t)} has ${q.scale.length} scales along dimension ${q.quantizedDimension} of size ${t.shape[q.quantizedDimension]}`;
    }
  }
  return undefined;
}

/** A constant input's values, when the reader decoded them. */
export const constValues = (t: ModelTensor | undefined): readonly number[] | undefined => (t?.hasData ? t.values : undefined);
