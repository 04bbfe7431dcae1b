import { QatkitError, type Graph, type IoType, type Op, type Quantization, type Tensor } from '@qatkit/core';

/** uint8 shares int8's scale; its zero point sits 128 higher (same real values, shifted storage). */
function uint8Quantization(q: Quantization): Quantization {
  return { scale: [...q.scale], zeroPoint: q.zeroPoint.map((z) => z + 128), bits: 8, signed: false, narrowRange: false };
}

/**
 * Adds the model's external I/O tensors for `io`: float32 edges get QUANTIZE / DEQUANTIZE ops,
 * uint8 edges get requantizing QUANTIZE ops (uint8 ↔ int8). An edge that already has the
 * requested dtype is used as it is. Returns a new graph; the input graph is not touched.
 */
export function wrapIo(graph: Graph, io: IoType): Graph {
  const float = [...graph.inputs, ...graph.outputs].find((n) => graph.tensors[n]!.dtype === 'float32');
  if (io !== 'float32' && float !== undefined) {
    const role = graph.inputs.includes(float) ? 'input' : 'output';
    throw new QatkitError(
      'INVALID_OPTION',
      `graph ${role} "${float}" is float32 (a float model, or a float edge of a partly quantized one); io '${io}' needs quantized int8 ` +
        `inputs and outputs to wrap. Export float models with io 'float32' (the default)`,
    );
  }
  if (io === 'int8') return graph;
  const tensors: Record<string, Tensor> = { ...graph.tensors };
  const opNames = new Set(graph.ops.map((op) => op.name));
  const unique = (base: string, taken: (n: string) => boolean) => {
    if (!taken(base)) return base;
    for (let i = 1; ; i++) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
  };

  const edge = (name: string, role: 'input' | 'output'): { outer: string; op?: Op } => {
    const inner = graph.tensors[name]!;
    if (inner.dtype === io) return { outer: name };
    if (inner.dtype !== 'int8' || !inner.quantization) {
      throw new QatkitError(
        'INVALID_OPTION',
        `graph ${role} "${name}" is ${inner.dtype}${inner.quantization ? '' : ' without quantization'}; io '${io}' can only wrap quantized int8 ${role}s`,
      );
    }
    const outer = unique(`${name}_${io}`, (n) => n in tensors);
    tensors[outer] = {
      name: outer,
      shape: [...inner.shape],
      dtype: io,
      ...(io === 'uint8' ? { quantization: uint8Quantization(inner.quantization) } : {}),
    };
    const kind = role === 'output' && io === 'float32' ? 'Dequantize' : 'Quantize';
    const opName = unique(`${kind.toLowerCase()}_${name}`, (n) => opNames.has(n));
    opNames.add(opName);
    const [from, to] = role === 'input' ? [outer, name] : [name, outer];
    return { outer, op: { kind, name: opName, inputs: [from], outputs: [to], attrs: {} } as Op };
  };

  const inputs = graph.inputs.map((name) => edge(name, 'input'));
  const outputs = graph.outputs.map((name) => edge(name, 'output'));
  const extra = (edges: { op?: Op }[]) => edges.flatMap((e) => (e.op ? [e.op] : []));
  return {
    name: graph.name,
    tensors,
    ops: [...extra(inputs), ...graph.ops, ...extra(outputs)],
    inputs: inputs.map((e) => e.outer),
    outputs: outputs.map((e) => e.outer),
  };
}
