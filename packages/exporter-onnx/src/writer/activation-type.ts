import type { Graph, Tensor } from '@qatkit/core';
import { ruleFor } from './op-table.js';

/** Storage type of the quantized activations in the ONNX file. */
export type ActivationType = 'int8' | 'uint8';

/**
 * The graph with its int8 activations (and constant operands) stored as uint8: zero point and
 * values shifted by 128, the same real numbers. Weights and biases keep their types (u8 × s8 is
 * what x86 kernels multiply). onnxruntime's x86 build fuses int8 QDQ units only after turning each
 * int8 QuantizeLinear → DequantizeLinear pair into uint8, which it does only where a tensor has one
 * reader: int8 tensors that branch (residual blocks) stay unfused there, uint8 ones fuse. Tensors
 * in `keep` (stored as INT4: no 4-bit QDQ unit fuses anyway) keep their type.
 */
export function withUint8Activations(graph: Graph, keep: ReadonlySet<string> = new Set()): Graph {
  const weights = new Set(graph.ops.flatMap((op) => (ruleFor(op.kind)?.weights ?? []).map((i) => op.inputs[i])));
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(graph.tensors)) {
    const q = t.quantization;
    // `keep`: tensors stored as INT4, whose levels a 128 shift would take out of 4-bit range.
    if (t.dtype !== 'int8' || !q || weights.has(name) || keep.has(name)) {
      tensors[name] = t;
      continue;
    }
    tensors[name] = {
      ...t,
      dtype: 'uint8',
      ...(t.data ? { data: Uint8Array.from(t.data, (v) => v + 128) } : {}),
      quantization: { ...q, signed: false, zeroPoint: q.zeroPoint.map((z) => z + 128) },
    };
  }
  return { ...graph, tensors };
}
