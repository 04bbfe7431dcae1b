import { OP_KINDS, QatkitError, type DType, type Graph, type IoType, type Op, type Tensor, type TensorData } from '@qatkit/core';
import { ruleFor } from './op-table.js';
import type { OpsetFeatures } from './opsets.js';

/** Typed array each dtype's constant data must come in, and the integer range of its storage. */
const STORAGE: Readonly<Record<DType, { array: new (n: number) => TensorData; bits: number; min: number; max: number }>> = {
  float32: { array: Float32Array, bits: 32, min: -Infinity, max: Infinity },
  int8: { array: Int8Array, bits: 8, min: -128, max: 127 },
  uint8: { array: Uint8Array, bits: 8, min: 0, max: 255 },
  int16: { array: Int16Array, bits: 16, min: -32768, max: 32767 },
  int32: { array: Int32Array, bits: 32, min: -(2 ** 31), max: 2 ** 31 - 1 },
};

function unsupported(message: string): never {
  throw new QatkitError('UNSUPPORTED_OP', message);
}

function checkTensor(t: Tensor, features: OpsetFeatures): void {
  if (t.data && !(t.data instanceof STORAGE[t.dtype].array)) unsupported(`tensor "${t.name}" is ${t.dtype} but holds a ${t.data.constructor.name}`);
  const q = t.quantization;
  if (!q) {
    if (t.dtype !== 'float32') unsupported(`tensor "${t.name}" is ${t.dtype} without quantization parameters; ONNX QDQ needs a scale and zero point for every integer tensor`);
    return;
  }
  if (t.dtype === 'float32') unsupported(`tensor "${t.name}" is float32 with quantization parameters; quantized tensors are stored as integers`);
  if (t.dtype === 'int32' && !t.data) unsupported(`tensor "${t.name}" is a computed int32 tensor; only constant biases may be int32`);
  if (t.dtype === 'int16' && !features.int16) {
    throw new QatkitError('INVALID_OPTION', `tensor "${t.name}" is int16: QuantizeLinear/DequantizeLinear accept 16-bit integers from opset 21; export with { opset: 21 }`);
  }
  const storage = STORAGE[t.dtype];
  if (q.bits > storage.bits) throw new QatkitError('INVALID_OPTION', `tensor "${t.name}" is quantized to ${q.bits} bits but stored as ${t.dtype}`);
  if (q.zeroPoint.some((z) => z < storage.min || z > storage.max)) unsupported(`tensor "${t.name}" has a zero point outside the ${t.dtype} range`);
}

function checkOp(op: Op, graph: Graph): void {
  const rule = ruleFor(op.kind);
  if (!rule) unsupported(`op "${op.name}" has kind "${op.kind}", which the ONNX exporter does not support (supported: ${OP_KINDS.join(', ')})`);
  if (op.outputs.length !== 1) unsupported(`op "${op.name}" (${op.kind}) has ${op.outputs.length} outputs; the ONNX exporter writes ops with one`);
  const weights = rule.weights ?? [];
  op.inputs.forEach((name, i) => {
    const t = graph.tensors[name]!;
    if (weights.includes(i)) {
      if (!t.data) unsupported(`op "${op.name}" (${op.kind}) ${i === 1 ? 'weights' : 'bias'} "${name}" must be a constant`);
    } else if (t.quantization && t.quantization.scale.length > 1) {
      // Only weights and biases have an output-channel axis that a per-axis scale can follow.
      unsupported(`op "${op.name}" (${op.kind}) input "${name}" is quantized per axis; only weights and biases may be (activations and operands take one scale and zero point)`);
    }
  });
  const out = graph.tensors[op.outputs[0]!]!;
  if (op.kind === 'Quantize' && !out.quantization) unsupported(`op "${op.name}" (Quantize) writes "${out.name}" without quantization parameters`);
  if (op.kind === 'Dequantize' && out.quantization) unsupported(`op "${op.name}" (Dequantize) writes "${out.name}" with quantization parameters; its output is float32`);
}

/**
 * What the ONNX writer relies on beyond `validateGraph`: known op kinds, constant weights, integer
 * tensors with a scale and zero point in their storage range, per-axis scales only on weights and
 * biases, bit widths the opset can store, and I/O the `io` option can wrap.
 */
export function checkSupport(graph: Graph, features: OpsetFeatures, io: IoType): void {
  for (const t of Object.values(graph.tensors)) checkTensor(t, features);
  for (const op of graph.ops) checkOp(op, graph);
  for (const name of [...graph.inputs, ...graph.outputs]) {
    const t = graph.tensors[name]!;
    if (io !== 'float32' && t.dtype === 'float32') {
      const role = graph.inputs.includes(name) ? 'input' : 'output';
      throw new QatkitError(
        'INVALID_OPTION',
        `graph ${role} "${name}" is float32 (a float model, or a float edge of a partly quantized one); io '${io}' needs quantized int8 ` +
          `inputs and outputs. Export float models with io 'float32' (the default)`,
      );
    }
    if (io !== 'float32' && t.dtype !== 'int8' && t.dtype !== io) {
      throw new QatkitError('INVALID_OPTION', `graph edge "${name}" is ${t.dtype}; io '${io}' can only wrap int8 inputs and outputs`);
    }
  }
}
