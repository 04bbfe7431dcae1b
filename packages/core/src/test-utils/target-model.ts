import { buildTargetModel, constTensor, modelTensor } from '../plugin/target-model-builder.js';
import type { TargetModel } from '../plugin/target-model.js';

export { modelTensor as act, constTensor as konst, buildTargetModel as model };

/** A chain of single-input ops over one [1, 8] int8 activation shape: op i reads tensor i, writes tensor i + 1. */
export function chain(opcodes: string[]): TargetModel {
  const tensors = opcodes.map((_, i) => modelTensor([1, 8], 'INT8', { name: `x${i}` }));
  tensors.push(modelTensor([1, 8], 'INT8', { name: `x${opcodes.length}` }));
  return buildTargetModel(tensors, opcodes.map((opcode, i) => [opcode, [i], [i + 1]] as const));
}
