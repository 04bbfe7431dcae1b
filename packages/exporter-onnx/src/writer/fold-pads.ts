import { consumersOf, type Graph, type Quantization } from '@qatkit/core';

/** A Pad the next convolution absorbs: the convolution reads `source` and adds `pads` ([top, left, bottom, right]). */
export interface FoldedPad {
  readonly pad: string;
  readonly source: string;
  readonly pads: readonly [number, number, number, number];
}

const sameGrid = (a: Quantization | undefined, b: Quantization | undefined): boolean =>
  a === undefined ? b === undefined : b !== undefined && a.scale.length === 1 && b.scale.length === 1 && a.scale[0] === b.scale[0] && a.zeroPoint[0] === b.zeroPoint[0];

/**
 * Pads (ZeroPadding2D, e.g. before MobileNetV2's stride-2 depthwise convolutions) that only feed
 * one Conv2D / DepthwiseConv2D, pad only H and W and keep the quantization grid: ONNX's Conv pads
 * with real 0 too (QLinearConv with the input zero point), so the Pad is folded into its pads
 * instead of running in float between a DequantizeLinear and a QuantizeLinear. By conv op name.
 */
export function foldablePads(graph: Graph): Map<string, FoldedPad> {
  const folds = new Map<string, FoldedPad>();
  for (const op of graph.ops) {
    if (op.kind !== 'Pad') continue;
    const out = op.outputs[0]!;
    const readers = consumersOf(graph, out);
    const conv = readers[0];
    const p = op.attrs.paddings;
    if (readers.length !== 1 || !conv || (conv.kind !== 'Conv2D' && conv.kind !== 'DepthwiseConv2D') || conv.inputs[0] !== out || conv.inputs.indexOf(out, 1) > 0) continue;
    if (graph.outputs.includes(out) || p.length !== 4 || p[0]!.some((v) => v !== 0) || p[3]!.some((v) => v !== 0)) continue;
    if (!sameGrid(graph.tensors[op.inputs[0]!]!.quantization, graph.tensors[out]!.quantization)) continue;
    folds.set(conv.name, { pad: op.name, source: op.inputs[0]!, pads: [p[1]![0], p[2]![0], p[1]![1], p[2]![1]] });
  }
  return folds;
}
