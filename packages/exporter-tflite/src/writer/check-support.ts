import { OP_KINDS, QatkitError, type DType, type Graph, type Op, type Quantization, type Tensor, type TensorData } from '@qatkit/core';
import { checkLimits } from './check-limits.js';
import { ruleFor, type Slot } from './op-table.js';

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

function checkSlot(op: Op, slot: Slot, index: number, t: Tensor, graph: Graph): void {
  const label = `${index === 0 ? 'input' : `input ${index}`}`;
  switch (slot.role) {
    case 'activation':
      if (t.data) unsupported(`${where(op, label, t)} is a constant; TFLite expects a computed int8 activation here`);
      perTensorQuantization(op, label, t, ['int8']);
      return;
    case 'integer':
      perTensorQuantization(op, label, t, ['int8', 'uint8']);
      return;
    case 'real':
      if (t.dtype !== 'float32') unsupported(`${where(op, label, t)} is ${t.dtype}; expected float32`);
      return;
    case 'quantizable':
      if (t.dtype !== 'float32') perTensorQuantization(op, label, t, ['int8', 'uint8']);
      return;
    case 'weights': {
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

function checkOutput(op: Op, graph: Graph): void {
  const rule = ruleFor(op.kind)!;
  op.outputs.forEach((name, i) => {
    const t = graph.tensors[name]!;
    const slot = rule.outputs[i]!;
    const label = i === 0 ? 'output' : `output ${i}`;
    if (t.data) unsupported(`${where(op, label, t)} is a constant; op outputs are computed`);
    if (slot.role === 'real') {
      if (t.dtype !== 'float32') unsupported(`${where(op, label, t)} is ${t.dtype}; expected float32`);
      return;
    }
    const q = perTensorQuantization(op, label, t, slot.role === 'integer' ? ['int8', 'uint8'] : ['int8']);
    // Inputs are checked first, so a same-scale op's input is known to be quantized here.
    const input = graph.tensors[op.inputs[0]!]!.quantization;
    const want = rule.output === 'same-as-input' ? { scale: input!.scale[0]!, zeroPoint: input!.zeroPoint[0]! } : rule.output;
    if (want && (!near(q.scale[0]!, want.scale) || q.zeroPoint[0] !== want.zeroPoint)) {
      unsupported(
        `${where(op, label, t)} must be quantized with scale ${want.scale}, zero point ${want.zeroPoint} (TFLite ${op.kind} kernel constraint); ` +
          `got scale ${q.scale[0]}, zero point ${q.zeroPoint[0]}`,
      );
    }
  });
}

/** Shapes are core's (validateGraph); the bias slot is the exporter's own. */
function checkBiasLength(op: Op, graph: Graph): void {
  if (op.inputs.length < 3) return;
  const w = graph.tensors[op.inputs[1]!]!.shape;
  const channels = op.kind === 'DepthwiseConv2D' ? w[3] : w[0];
  const n = graph.tensors[op.inputs[2]!]!.shape.reduce((a, b) => a * b, 1);
  if (n !== channels) throw new QatkitError('INVALID_SHAPE', `op "${op.name}" (${op.kind}): bias has ${n} values for ${channels} output channels`);
}

/**
 * Everything the TFLite writer relies on beyond `validateGraph`: known op kinds, int8 tensors
 * where the int8 kernels need them, quantization parameters present and in the form the
 * kernels accept, constant data stored in its dtype's typed array.
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
    if (op.inputs.length < required || op.inputs.length > rule.inputs.length) {
      unsupported(`op "${op.name}" (${op.kind}) has ${op.inputs.length} inputs; TFLite expects ${required === rule.inputs.length ? required : `${required} or ${rule.inputs.length}`}`);
    }
    if (op.outputs.length !== rule.outputs.length) unsupported(`op "${op.name}" (${op.kind}) has ${op.outputs.length} outputs; expected ${rule.outputs.length}`);
    op.inputs.forEach((name, i) => checkSlot(op, rule.inputs[i]!, i, graph.tensors[name]!, graph));
    checkOutput(op, graph);
    checkBiasLength(op, graph);
  }
  checkLimits(graph);
}
