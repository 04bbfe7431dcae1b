import { BIAS_LIMIT, QatkitError, REQUANT_LIMIT, type Graph, type Op } from '@qatkit/core';
import { checkElementwiseLimits } from './elementwise-limits.js';

/**
 * Numeric limits the runtimes enforce, checked before any byte is written (core's limits.ts says
 * how qatkit's own graphs stay inside them; graphs built by hand may not):
 * - XNNPACK refuses a conv / transposed conv / fully-connected whose requantization ratio
 *   input scale × weight scale / output scale is ≥ 256 for any channel ("failed to prepare");
 * - an int32 bias beyond ±BIAS_LIMIT leaves the accumulator no room (and is usually a clamped value).
 * - ADD, SUB, MUL and HARD_SWISH have ratio limits of their own (elementwise-limits.ts).
 * (TFLite's reference int8 SOFTMAX saturates its beta × input scale multiplier above 32, but by then
 * one input step already drives exp() to 0 at the output's 1/256 resolution: no check needed.)
 */

function fail(op: Op, message: string): never {
  throw new QatkitError('INVALID_RANGE', `op "${op.name}" (${op.kind}): ${message}`);
}

function checkWeighted(op: Op, graph: Graph): void {
  const [input, weights, bias] = op.inputs.map((n) => graph.tensors[n]!);
  const output = graph.tensors[op.outputs[0]!]!;
  const inS = input!.quantization!.scale[0]!;
  const outS = output.quantization!.scale[0]!;
  const ws = weights!.quantization!.scale;
  ws.forEach((w, c) => {
    const ratio = (inS * w) / outS;
    if (!(ratio < REQUANT_LIMIT)) {
      fail(
        op,
        `requantization ratio input scale × weight scale / output scale = ${inS} × ${w} / ${outS} = ${ratio.toPrecision(4)}` +
          `${ws.length > 1 ? ` (channel ${c})` : ''} is ≥ ${REQUANT_LIMIT}, which XNNPACK refuses; the output range of "${output.name}" is too narrow ` +
          '(a ReLU that never fires?): build the graph with core\'s requantFloor() as its minimum output scale',
      );
    }
  });
  if (bias?.data) {
    for (let c = 0; c < bias.data.length; c++) {
      const q = bias.data[c]!;
      if (Math.abs(q) > BIAS_LIMIT) {
        fail(op, `int32 bias "${bias.name}" channel ${c} is ${q}, beyond ±${BIAS_LIMIT}; widen that channel's weight scale (core's biasSafeWeightScales) so the bias fits`);
      }
    }
  }
}

export function checkLimits(graph: Graph): void {
  for (const op of graph.ops) {
    // Float ops have no integer limits.
    if (graph.tensors[op.inputs[0]!]!.dtype === 'float32') continue;
    if (op.kind === 'Conv2D' || op.kind === 'DepthwiseConv2D' || op.kind === 'FullyConnected' || op.kind === 'TransposeConv2D') checkWeighted(op, graph);
    else checkElementwiseLimits(op, graph);
  }
}
