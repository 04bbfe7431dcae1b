import type { Graph, Op, Tensor } from '@qatkit/core';

/**
 * Concatenation's fused activation, written as a separate RELU / RELU6 op after it. TFLite's own
 * CONCATENATION kernel refuses a fused activation, and LiteRT's XNNPACK path accepts the node but
 * ignores it (a run gives the unclamped values). The concatenation writes an intermediate tensor
 * with its inputs' parameters (same-scale); the activation then maps it onto the op's output.
 * Returns a new graph; the input graph is not touched.
 */
export function splitFusedActivations(graph: Graph): Graph {
  if (!graph.ops.some((op) => op.kind === 'Concatenation' && op.attrs.activation !== 'none')) return graph;
  const tensors: Record<string, Tensor> = { ...graph.tensors };
  const opNames = new Set(graph.ops.map((op) => op.name));
  const unique = (base: string, taken: (n: string) => boolean) => {
    let name = base;
    for (let i = 1; taken(name); i++) name = `${base}_${i}`;
    return name;
  };
  const ops = graph.ops.flatMap((op): Op[] => {
    if (op.kind !== 'Concatenation' || op.attrs.activation === 'none') return [op];
    const out = graph.tensors[op.outputs[0]!]!;
    const { quantization } = graph.tensors[op.inputs[0]!]!;
    const mid = unique(`${out.name}/pre_activation`, (n) => n in tensors);
    tensors[mid] = { name: mid, shape: out.shape, dtype: out.dtype, ...(quantization ? { quantization } : {}) };
    const actName = unique(`${op.name}/${op.attrs.activation}`, (n) => opNames.has(n));
    opNames.add(actName);
    return [
      { ...op, outputs: [mid], attrs: { ...op.attrs, activation: 'none' } },
      { kind: op.attrs.activation === 'relu' ? 'Relu' : 'Relu6', name: actName, inputs: [mid], outputs: op.outputs, attrs: {} },
    ];
  });
  return { ...graph, tensors, ops };
}
