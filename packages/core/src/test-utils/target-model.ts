import type { ModelOptionValue, ModelOperator, ModelTensor, TargetModel } from '../plugin/target-model.js';

/** An activation tensor, int8 per-tensor unless said otherwise. */
export function act(shape: number[], type = 'INT8', extra: Partial<ModelTensor> = {}): ModelTensor {
  const quantization = type === 'INT8' || type === 'UINT8' || type === 'INT16' ? { scale: [0.1], zeroPoint: [0], quantizedDimension: 0 } : undefined;
  return { name: `t${shape.join('x')}`, shape, type, hasData: false, ...(quantization ? { quantization } : {}), ...extra };
}

/** A constant tensor. */
export function konst(shape: number[], type = 'INT8', extra: Partial<ModelTensor> = {}): ModelTensor {
  return { ...act(shape, type), hasData: true, ...extra };
}

export type OpSpec = [opcode: string, inputs: number[], outputs: number[], options?: Record<string, ModelOptionValue>, extra?: Partial<ModelOperator>];

/** One subgraph: inputs are tensors no op writes, outputs tensors no op reads (unless given). */
export function model(tensors: ModelTensor[], ops: OpSpec[]): TargetModel {
  const operators: ModelOperator[] = ops.map(([opcode, inputs, outputs, options = {}, extra = {}]) => ({ opcode, version: 1, inputs, outputs, options, ...extra }));
  const written = new Set(operators.flatMap((o) => o.outputs));
  const read = new Set(operators.flatMap((o) => o.inputs));
  const inputs = [...read].filter((t) => t >= 0 && !written.has(t) && !tensors[t]!.hasData);
  const outputs = [...written].filter((t) => !read.has(t));
  return { subgraphs: [{ name: 'main', inputs, outputs, tensors, operators }] };
}

/** A chain of single-input ops over one [1, 8] int8 activation shape: op i reads tensor i, writes tensor i + 1. */
export function chain(opcodes: string[]): TargetModel {
  const tensors = opcodes.map((_, i) => act([1, 8], 'INT8', { name: `x${i}` }));
  tensors.push(act([1, 8], 'INT8', { name: `x${opcodes.length}` }));
  return model(tensors, opcodes.map((opcode, i) => [opcode, [i], [i + 1]]));
}
