import type { ModelOptionValue, ModelOperator, ModelTensor, TargetModel } from './target-model.js';

/**
 * Builds TargetModels by hand: for tests of target profiles, and for readers of other formats.
 * 8-bit and 16-bit tensors get a per-tensor quantization unless `extra` says otherwise; `extra`
 * also carries `bits` for n-bit values in a wider type, as readTflite returns them.
 */
export function modelTensor(shape: readonly number[], type = 'INT8', extra: Partial<ModelTensor> = {}): ModelTensor {
  const quantized = type === 'INT8' || type === 'UINT8' || type === 'INT16';
  return {
    name: `t${shape.join('x')}`,
    shape,
    type,
    hasData: false,
    ...(quantized ? { quantization: { scale: [0.1], zeroPoint: [0], quantizedDimension: 0 } } : {}),
    ...extra,
  };
}

/** A constant (weights, bias, shape operand); `values` when a rule needs them. */
export function constTensor(shape: readonly number[], type = 'INT8', extra: Partial<ModelTensor> = {}): ModelTensor {
  return { ...modelTensor(shape, type), hasData: true, ...extra };
}

/** [opcode, input tensor indices (-1: omitted), output indices, options?, other operator fields?] */
export type OperatorSpec = readonly [opcode: string, inputs: readonly number[], outputs: readonly number[], options?: Readonly<Record<string, ModelOptionValue>>, extra?: Partial<ModelOperator>];

/** One subgraph; its inputs are the non-constant tensors no op writes, its outputs those no op reads. */
export function buildTargetModel(tensors: readonly ModelTensor[], ops: readonly OperatorSpec[]): TargetModel {
  const operators: ModelOperator[] = ops.map(([opcode, inputs, outputs, options = {}, extra = {}]) => ({ opcode, version: 1, inputs, outputs, options, ...extra }));
  const written = new Set(operators.flatMap((o) => o.outputs));
  const read = new Set(operators.flatMap((o) => o.inputs));
  const inputs = [...read].filter((t) => t >= 0 && !written.has(t) && tensors[t] !== undefined && !tensors[t]!.hasData);
  const outputs = [...written].filter((t) => !read.has(t));
  return { subgraphs: [{ name: 'main', inputs, outputs, tensors, operators }] };
}
