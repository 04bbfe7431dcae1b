import { OP_KINDS, QatkitError, type DType, type Graph, type Op, type OpKind, type Quantization, type Tensor, type TensorData } from '@qatkit/core';
import { BuiltinOperator } from '../generated/tflite/builtin-operator.js';
import { checkLimits } from './check-limits.js';
import { ruleFor, type OpRule, type Slot } from './op-table.js';

/** Typed array each dtype's constant data must come in; anything else would be written as garbage. */
const DATA_TYPE: Readonly<Record<DType, new (n: number) => TensorData>> = {
  float32: Float32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
};

const REL_TOLERANCE = 1e-4;
const near = (a: number, b: number) => Math.abs(a - b) <= REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));

function unsupported(message: string): never {
  throw new QatkitError('UNSUPPORTED_OP', message);
}

function where(op: Op, slot: string, t: Tensor): string {
  return `op "${op.name}" (${op.kind}) ${slot} "${t.name}"`;
}

function perTensorQuantization(op: Op, slot: string, t: Tensor, dtypes: readonly DType[]): Quantization {
  if (!dtypes.includes(t.dtype)) unsupported(`${where(op, slot, t)} is ${t.dtype}; expected ${dtypes.join(' or ')}`);
  const q = t.quantization;
  if (!q) unsupported(`${where(op, slot, t)} has no quantization parameters; every ${t.dtype} activation needs a scale and zero point`);
  if (q.scale.length !== 1) unsupported(`${where(op, slot, t)} is quantized per axis; TFLite activations must be per tensor`);
  const lo = t.dtype === 'int8' ? -128 : 0;
  if (!Number.isInteger(q.zeroPoint[0]) || q.zeroPoint[0]! < lo || q.zeroPoint[0]! > lo + 255) {
    unsupported(`${where(op, slot, t)} has zero point ${q.zeroPoint[0]}, outside the ${t.dtype} range`);
  }
  return q;
}

/** Which form an op takes: int8 (quantized) or float, by the dtype of its input 0. */
type Form = 'int8' | 'float';

function formOf(op: Op, rule: OpRule<OpKind>, graph: Graph): Form | undefined {
  const first = rule.inputs[0]!.role;
  if (first !== 'activation' && first !== 'operand') return undefined;
  return graph.tensors[op.inputs[0]!]!.dtype === 'float32' ? 'float' : 'int8';
}

const slotAt = (rule: OpRule<OpKind>, i: number): Slot => rule.inputs[Math.min(i, rule.inputs.length - 1)]!;
const label = (kind: 'input' | 'output', i: number) => (i === 0 ? kind : `${kind} ${i}`);

/** A float32 tensor in a float op: plain values, no quantization parameters. */
function checkFloat(op: Op, slot: string, t: Tensor, graph: Graph): void {
  if (t.dtype !== 'float32') {
    const x = graph.tensors[op.inputs[0]!]!;
    unsupported(
      `${where(op, slot, t)} is ${t.dtype} but input "${x.name}" is float32: an op runs either on int8 or on float32 tensors, ` +
        'not both (put a QUANTIZE or DEQUANTIZE op between the two parts of the graph)',
    );
  }
  if (t.quantization) unsupported(`${where(op, slot, t)} is float32 with quantization parameters; the float form of ${op.kind} takes plain float32 tensors`);
}

function checkSlot(op: Op, slot: Slot, index: number, t: Tensor, graph: Graph, form: Form | undefined): void {
  const name = label('input', index);
  switch (slot.role) {
    case 'activation':
    case 'operand':
      if (slot.role === 'activation' && t.data) {
        unsupported(`${where(op, name, t)} is a constant; TFLite expects a computed ${form === 'float' ? 'float32' : 'int8'} activation here`);
      }
      if (form === 'float') return checkFloat(op, name, t, graph);
      if (t.dtype === 'float32' && index > 0) {
        unsupported(
          `${where(op, name, t)} is float32 but input "${op.inputs[0]}" is int8: an op runs either on int8 or on float32 tensors, ` +
            'not both (quantize this input, or put a QUANTIZE op before it)',
        );
      }
      perTensorQuantization(op, name, t, ['int8']);
      return;
    case 'integer':
      perTensorQuantization(op, name, t, ['int8', 'uint8']);
      return;
    case 'real':
      if (t.dtype !== 'float32') unsupported(`${where(op, name, t)} is ${t.dtype}; expected float32`);
      return;
    case 'quantizable':
      if (t.dtype !== 'float32') perTensorQuantization(op, name, t, ['int8', 'uint8']);
      return;
    case 'weights': {
      if (form === 'float') {
        if (!t.data || t.dtype !== 'float32') {
          unsupported(
            `${where(op, 'weights', t)} must be constant float32 data in a float op (got ${t.data ? 'constant' : 'non-constant'} ${t.dtype}); ` +
              'float activations with int8 weights (hybrid models) are not supported',
          );
        }
        return checkFloat(op, 'weights', t, graph);
      }
      if (!t.data || t.dtype !== 'int8') {
        unsupported(`${where(op, 'weights', t)} must be constant int8 data (got ${t.data ? 'constant' : 'non-constant'} ${t.dtype}); quantize the weights before exporting`);
      }
      const q = t.quantization;
      if (!q) unsupported(`${where(op, 'weights', t)} has no quantization parameters`);
      if (q.zeroPoint.some((z) => z !== 0)) unsupported(`${where(op, 'weights', t)} must be symmetric (zero point 0)`);
      if (q.scale.length > 1 && q.axis !== slot.axis) {
        unsupported(`${where(op, 'weights', t)} is quantized along axis ${q.axis}; TFLite ${op.kind} needs axis ${slot.axis}`);
      }
      return;
    }
    case 'bias': {
      if (form === 'float') {
        if (!t.data || t.dtype !== 'float32') unsupported(`${where(op, 'bias', t)} must be constant float32 data in a float op (got ${t.dtype})`);
        return checkFloat(op, 'bias', t, graph);
      }
      if (!t.data || t.dtype !== 'int32') unsupported(`${where(op, 'bias', t)} must be constant int32 data (got ${t.dtype})`);
      const q = t.quantization;
      if (!q) unsupported(`${where(op, 'bias', t)} has no quantization parameters`);
      // Kernels derive the bias scale from input × weight scales; a mismatch would silently rescale it.
      const input = graph.tensors[op.inputs[0]!]!.quantization!.scale[0]!;
      const w = graph.tensors[op.inputs[1]!]!.quantization!.scale;
      const ok = q.scale.length === w.length && q.scale.every((s, c) => near(s, input * w[c]!));
      if (!ok) unsupported(`${where(op, 'bias', t)} must have scale = input scale × weight scale per channel`);
    }
  }
}

function checkOutput(op: Op, rule: OpRule<OpKind>, graph: Graph, form: Form | undefined): void {
  op.outputs.forEach((name, i) => {
    const t = graph.tensors[name]!;
    const slot = rule.outputs[i]!;
    const what = label('output', i);
    if (t.data) unsupported(`${where(op, what, t)} is a constant; op outputs are computed`);
    if (slot.role === 'real') {
      if (t.dtype !== 'float32') unsupported(`${where(op, what, t)} is ${t.dtype}; expected float32`);
      return;
    }
    if (form === 'float') return checkFloat(op, what, t, graph);
    const q = perTensorQuantization(op, what, t, slot.role === 'integer' ? ['int8', 'uint8'] : ['int8']);
    const got = `got scale ${q.scale[0]}, zero point ${q.zeroPoint[0]}`;
    const kernel = `TFLite ${BuiltinOperator[rule.builtin]}`;
    if (rule.output === 'same-as-inputs') {
      // Inputs are checked first, so each activation/operand input is known to be quantized here.
      op.inputs.forEach((inName, k) => {
        if (slotAt(rule, k).role !== 'activation' && slotAt(rule, k).role !== 'operand') return;
        const want = graph.tensors[inName]!.quantization!;
        if (!near(q.scale[0]!, want.scale[0]!) || q.zeroPoint[0] !== want.zeroPoint[0]) {
          unsupported(
            `${where(op, what, t)} must be quantized with scale ${want.scale[0]}, zero point ${want.zeroPoint[0]} like ${label('input', k)} "${inName}" ` +
              `(${kernel} passes int8 values through without requantizing, so inputs and output share parameters); ${got}`,
          );
        }
      });
    } else if (rule.output) {
      const want = rule.output;
      if (!near(q.scale[0]!, want.scale) || q.zeroPoint[0] !== want.zeroPoint) {
        unsupported(`${where(op, what, t)} must be quantized with scale ${want.scale}, zero point ${want.zeroPoint} (${kernel} kernel constraint); ${got}`);
      }
    }
  });
}

/** Shapes are core's (validateGraph); the bias slot is the exporter's own. */
function checkBiasLength(op: Op, graph: Graph): void {
  const conv = op.kind === 'Conv2D' || op.kind === 'DepthwiseConv2D';
  if (conv && op.inputs.length < 3 && graph.tensors[op.inputs[0]!]!.dtype !== 'float32') {
    // TFLite's quantized conv kernels require the bias ("has_bias was not true" when LiteRT prepares).
    throw new QatkitError('UNSUPPORTED_OP', `op "${op.name}" (${op.kind}) is quantized but has no bias; TFLite's int8 ${op.kind} needs an int32 bias input (zeros are fine: quantizeBias(new Float32Array(channels), inputScale, weightScales))`);
  }
  if (op.inputs.length < 3 || (!conv && op.kind !== 'FullyConnected' && op.kind !== 'TransposeConv2D')) return;
  const w = graph.tensors[op.inputs[1]!]!.shape;
  const channels = op.kind === 'DepthwiseConv2D' ? w[3] : w[0];
  const n = graph.tensors[op.inputs[2]!]!.shape.reduce((a, b) => a * b, 1);
  if (n !== channels) throw new QatkitError('INVALID_SHAPE', `op "${op.name}" (${op.kind}): bias has ${n} values for ${channels} output channels`);
}

/**
 * Everything the TFLite writer relies on beyond `validateGraph`: known op kinds and input counts,
 * each op wholly int8 (quantization parameters present and in the form the kernels accept, output
 * constraints met) or wholly float32, constant data stored in its dtype's typed array, and the
 * runtimes' numeric limits (check-limits.ts).
 */
export function checkSupport(graph: Graph): void {
  for (const t of Object.values(graph.tensors)) {
    if (t.data && !(t.data instanceof DATA_TYPE[t.dtype])) {
      unsupported(`tensor "${t.name}" is ${t.dtype} but holds a ${t.data.constructor.name}`);
    }
  }
  for (const op of graph.ops) {
    const rule = ruleFor(op.kind);
    if (!rule) unsupported(`op "${op.name}" has kind "${op.kind}", which the TFLite exporter does not support (supported: ${OP_KINDS.join(', ')})`);
    const required = rule.inputs.filter((s) => s.role !== 'bias').length;
    const most = rule.variadic ? Infinity : rule.inputs.length;
    if (op.inputs.length < required || op.inputs.length > most) {
      const expected = rule.variadic ? `at least ${required}` : required === most ? `${required}` : `${required} or ${most}`;
      unsupported(`op "${op.name}" (${op.kind}) has ${op.inputs.length} inputs; TFLite expects ${expected}`);
    }
    if (op.outputs.length !== rule.outputs.length) unsupported(`op "${op.name}" (${op.kind}) has ${op.outputs.length} outputs; expected ${rule.outputs.length}`);
    const form = formOf(op, rule, graph);
    op.inputs.forEach((name, i) => checkSlot(op, slotAt(rule, i), i, graph.tensors[name]!, graph, form));
    checkOutput(op, rule, graph, form);
    checkBiasLength(op, graph);
  }
  checkLimits(graph);
}
