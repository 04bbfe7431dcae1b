import { QatkitError, quantizeMultiplier, type Graph, type Op } from '@qatkit/core';

/**
 * Where LiteRT's int8 elementwise kernels break, found by running models on LiteRT (see
 * elementwise-limits.test.ts). XNNPACK declines these ops outside its own ratio limits (ADD:
 * input/output scale in [1/1024, 256)), and TFLite's built-in kernels then run them, fine up to:
 * - ADD, SUB: both inputs are rescaled onto 2 × max input scale / 2^20 before the sum, so
 *   max(input scales) / output scale must stay below 2^19: beyond it ADD aborts the runtime
 *   ("Aborted()") and SUB silently returns wrong values;
 * - MUL: the product (q1 − z1)(q2 − z2) is shifted left by the exponent of input1 × input2 /
 *   output scale in int32; beyond 2^31 it wraps around and the outputs are wrong, without error;
 * - HARD_SWISH: input scale / (128 × output scale) must be below 1 ("output_multiplier_exponent
 *   <= 0 was not true" when LiteRT prepares the model).
 * Such ratios mean an output range far narrower than the inputs' (a constant-folded or collapsed
 * range); the messages say which tensor.
 */

function fail(op: Op, message: string): never {
  throw new QatkitError('INVALID_RANGE', `op "${op.name}" (${op.kind}): ${message}`);
}

const f32 = Math.fround;

function params(graph: Graph, name: string): { scale: number; zeroPoint: number } {
  const q = graph.tensors[name]!.quantization!;
  return { scale: f32(q.scale[0]!), zeroPoint: q.zeroPoint[0]! };
}

/** The largest |q − z| an int8 value can have. */
const span = (zeroPoint: number) => Math.max(127 - zeroPoint, zeroPoint + 128);

function checkAddSub(op: Op, graph: Graph): void {
  const [a, b] = op.inputs.map((n) => params(graph, n));
  const out = params(graph, op.outputs[0]!);
  const max = Math.max(a!.scale, b!.scale);
  if (quantizeMultiplier((2 * max) / (2 ** 20 * out.scale)).shift > 0) {
    fail(
      op,
      `input scale / output scale = ${max} / ${out.scale} = ${(max / out.scale).toPrecision(4)} is ≥ 2^19, where TFLite's int8 ` +
        `${op.kind === 'Add' ? 'ADD aborts' : 'SUB returns wrong values'}; the output range of "${op.outputs[0]}" is far too narrow for its inputs`,
    );
  }
}

function checkMul(op: Op, graph: Graph): void {
  const [a, b] = op.inputs.map((n) => params(graph, n));
  const out = params(graph, op.outputs[0]!);
  const ratio = (a!.scale * b!.scale) / out.scale;
  const { shift } = quantizeMultiplier(ratio);
  if (shift > 0 && span(a!.zeroPoint) * span(b!.zeroPoint) * 2 ** shift > 2 ** 31 - 1) {
    fail(
      op,
      `input1 scale × input2 scale / output scale = ${ratio.toPrecision(4)} overflows the int32 intermediate of TFLite's int8 MUL ` +
        `(wrong outputs, no error); the output range of "${op.outputs[0]}" is far too narrow for the product of its inputs`,
    );
  }
}

function checkHardSwish(op: Op, graph: Graph): void {
  const input = params(graph, op.inputs[0]!);
  const out = params(graph, op.outputs[0]!);
  // As TFLite computes it, in float32.
  if (quantizeMultiplier(f32(f32(input.scale / 128) / out.scale)).shift > 0) {
    fail(
      op,
      `input scale / output scale = ${(input.scale / out.scale).toPrecision(4)} must be below 128 for TFLite's int8 HARD_SWISH, ` +
        `which refuses the model otherwise; widen the output range of "${op.outputs[0]}"`,
    );
  }
}

/** The elementwise limits above, for an int8 op (float ops have none). */
export function checkElementwiseLimits(op: Op, graph: Graph): void {
  if (op.kind === 'Add' || op.kind === 'Sub') checkAddSub(op, graph);
  else if (op.kind === 'Mul') checkMul(op, graph);
  else if (op.kind === 'HardSwish') checkHardSwish(op, graph);
}
