import type { Graph, IoType } from '@qatkit/core';
import { between, permOf, permuteShape, type Layout } from './layout.js';
import { foldablePads } from './fold-pads.js';
import { EmitContext } from './op-rule.js';
import { ruleFor } from './op-table.js';
import { OnnxBuilder, type OnnxType, type ValueInfo } from './onnx-builder.js';
import type { OpsetFeatures } from './opsets.js';
import { TensorViews } from './tensor-views.js';

export interface WriteOptions {
  readonly features: OpsetFeatures;
  readonly io: IoType;
  /** Layout of rank-4 model inputs and outputs. */
  readonly ioLayout: 'nhwc' | 'nchw';
  readonly description: string;
  /** Tensors stored as INT4/UINT4 (narrowStorage). */
  readonly narrow: ReadonlyMap<string, OnnxType>;
}

/**
 * Writes the checked graph: model inputs (converted to the integer type inside), each op as float
 * ONNX ops between DequantizeLinear of its quantized inputs and a QuantizeLinear of its quantized
 * output, then the model outputs (converted to `io`, and to `ioLayout`).
 */
export function writeModel(graph: Graph, options: WriteOptions): Uint8Array {
  const { io, features } = options;
  const b = new OnnxBuilder();
  const views = new TensorViews(graph, b, options.narrow);
  const storedType = (name: string): OnnxType => views.typeOf(name);
  const tensor = (name: string) => graph.tensors[name]!;
  const edgeLayout = (name: string): Layout => (options.ioLayout === 'nchw' && tensor(name).shape.length === 4 ? 'nchw' : 'ir');
  const edgeType = (name: string): OnnxType => (tensor(name).quantization ? io : 'float32');
  const edgeInfo = (name: string): ValueInfo => ({ name, type: edgeType(name), shape: permuteShape(tensor(name).shape, permOf(edgeLayout(name), tensor(name).shape.length)) });
  /** The I/O zero point minus the stored one: int8 I/O of uint8 activations, or the reverse (TFLite's uint8 I/O convention). */
  const shift = (name: string) => (io === tensor(name).dtype ? 0 : io === 'uint8' ? 128 : -128);
  const isDirect = (name: string, layout: Layout) => graph.outputs.includes(name) && edgeType(name) === storedType(name) && edgeLayout(name) === layout;
  for (const name of [...graph.inputs, ...graph.outputs]) b.reserve(name);

  for (const name of graph.inputs) {
    const t = tensor(name);
    const rank = t.shape.length;
    const outer = edgeLayout(name);
    // Layout first, then the type conversion: onnxruntime fuses QuantizeLinear → DequantizeLinear →
    // Conv, but not with a Transpose between the two.
    views.storeInput(name, outer, (layout) => {
      const raw = layout === outer ? name : b.node('Transpose', [name], `${name}:${layout === 'ir' ? 'nhwc' : layout}`, { perm: { ints: between(permOf(outer, rank), permOf(layout, rank)) } });
      if (edgeType(name) === storedType(name)) return raw;
      // float → integer: quantize. uint8 ↔ int8: the same real values, storage shifted by 128.
      const real = io === 'float32' ? raw : b.node('DequantizeLinear', [raw, ...views.qparams(name, io, shift(name))], `${raw}:dq`);
      return b.node('QuantizeLinear', [real, ...views.qparams(name)], `${raw}:${storedType(name)}`);
    });
  }

  const folds = foldablePads(graph);
  const foldedPads = new Set([...folds.values()].map((f) => f.pad));
  for (const op of graph.ops) {
    if (foldedPads.has(op.name)) continue;
    const emitted = ruleFor(op.kind)!.emit(new EmitContext(op, graph, features, b, views, folds.get(op.name)));
    const out = op.outputs[0]!;
    const layout = emitted.reshapeTo ? 'ir' : emitted.layout;
    const target = isDirect(out, layout) || !graph.outputs.includes(out) ? out : `${out}:inner`;
    const quantized = emitted.reshapeTo ? `${out}:${emitted.layout}` : target;
    let stored = tensor(out).quantization
      ? b.node('QuantizeLinear', [emitted.value, ...views.qparams(out)], quantized)
      : emitted.reshapeTo
        ? emitted.value
        : (b.renameLast(emitted.value, target) ?? b.node('Identity', [emitted.value], target));
    if (emitted.reshapeTo) {
      const shape = b.initializer(`${op.name}:shape`, 'int64', [emitted.reshapeTo.length], emitted.reshapeTo);
      stored = b.node('Reshape', [stored, shape], target, {}, `${op.name}/Reshape`);
    }
    views.store(out, layout, stored);
  }

  for (const name of graph.outputs) {
    const layout = edgeLayout(name);
    if (edgeType(name) === storedType(name)) views.view(name, layout, name);
    else if (io === 'float32') b.node('DequantizeLinear', [views.view(name, layout), ...views.qparams(name)], name);
    else b.node('QuantizeLinear', [views.float(name, layout), ...views.qparams(name, io, shift(name))], name);
  }

  return b.encode({
    graphName: graph.name,
    opset: features.opset,
    irVersion: features.irVersion,
    docString: options.description,
    inputs: graph.inputs.map(edgeInfo),
    outputs: graph.outputs.map(edgeInfo),
  });
}
