import type { OpContext } from './target-model.js';

const product = (dims: readonly number[] | undefined): number => (dims ?? []).reduce((a, b) => a * Math.max(b, 0), 1);

/**
 * Multiply-accumulates per inference of the ops that do weighted reductions (the work an NPU is
 * for), from shapes alone. Other ops count 0: elementwise and data-movement work is small beside
 * them and the vendors do not count it either. Layouts are TFLite's.
 */
const MACS: Readonly<Record<string, (c: OpContext) => number>> = {
  // out [N, H, W, O] × weights [O, kh, kw, I/groups]
  CONV_2D: (c) => product(c.outputs[0]?.shape) * product(c.inputs[1]?.shape.slice(1)),
  // out [N, H, W, C] × weights [1, kh, kw, C]
  DEPTHWISE_CONV_2D: (c) => product(c.outputs[0]?.shape) * product(c.inputs[1]?.shape.slice(1, 3)),
  // input [N, H, W, I] × weights [O, kh, kw, I]: every input pixel spreads over kh·kw·O outputs
  TRANSPOSE_CONV: (c) => product(c.inputs[2]?.shape) * product(c.inputs[1]?.shape.slice(0, 3)),
  // out [N, D, H, W, O] × weights [kd, kh, kw, I, O]
  CONV_3D: (c) => product(c.outputs[0]?.shape) * product(c.inputs[1]?.shape.slice(0, 4)),
  // out [..., O] × weights [O, I]
  FULLY_CONNECTED: (c) => product(c.outputs[0]?.shape) * (c.inputs[1]?.shape[1] ?? 0),
  BATCH_MATMUL: (c) => {
    const lhs = c.inputs[0]?.shape ?? [];
    const k = c.options['adjX'] === true ? lhs[lhs.length - 2] : lhs[lhs.length - 1];
    return product(c.outputs[0]?.shape) * (k ?? 0);
  },
  // four gates over [input, hidden] per step: input [B, T, I] (or [T, B, I]), output [..., H]
  UNIDIRECTIONAL_SEQUENCE_LSTM: (c) => {
    const input = c.inputs[0]?.shape ?? [];
    const out = c.outputs[0]?.shape ?? [];
    const hidden = out[out.length - 1] ?? 0;
    const features = input[input.length - 1] ?? 0;
    return product(input.slice(0, -1)) * 4 * hidden * (features + hidden);
  },
  // feature weights [F, I] and time weights [F, M] per batch row
  SVDF: (c) => (c.inputs[0]?.shape[0] ?? 0) * (product(c.inputs[1]?.shape) + product(c.inputs[2]?.shape)),
};

export function estimateMacs(c: OpContext): number {
  const rule = MACS[c.op.opcode];
  const macs = rule ? rule(c) : 0;
  return Number.isFinite(macs) ? macs : 0;
}
