import { QatkitError, validateGraph, type ExportOptions, type Exporter, type Graph, type IoType } from '@qatkit/core';
import { withUint8Activations, type ActivationType } from './writer/activation-type.js';
import { checkSupport } from './writer/check-support.js';
import { DEFAULT_OPSET, opsetFeatures } from './writer/opsets.js';
import { INT4_STORAGE, narrowStorage, type Int4Storage } from './writer/storage-types.js';
import { writeModel } from './writer/write-model.js';

export interface OnnxExportOptions extends ExportOptions {
  /** Model I/O element type; 'float32' (the default) quantizes inputs and dequantizes outputs inside the model. Float graphs need 'float32'. */
  readonly io?: IoType;
  /** ONNX opset, 13 (the default; per-axis QuantizeLinear/DequantizeLinear) to 21 (needed for int16 tensors and INT4/UINT4 storage). */
  readonly opset?: number;
  /**
   * Storage of tensors quantized to 4 bits or fewer (Quantization.bits ≤ 4, int8/uint8 in the IR):
   * 'auto' (the default) writes them as ONNX INT4/UINT4 (packed two to a byte) from opset 21 and
   * as int8/uint8 below it; 'always' refuses an opset below 21 instead; 'never' keeps int8/uint8.
   * Either way the values are the same; 2- and 3-bit tensors use INT4 too. Bits 5–8 stay int8/uint8.
   */
  readonly int4?: Int4Storage;
  /**
   * Layout of rank-4 model inputs and outputs. 'nhwc' (the default) takes and gives the same
   * arrays as tfjs and the TFLite export, with one Transpose at each such edge; 'nchw' has none.
   * Inside, image tensors are NCHW either way.
   */
  readonly layout?: 'nhwc' | 'nchw';
  /**
   * Storage type of quantized activations: 'int8' (the default; the IR's own integers) or 'uint8'
   * (zero points + 128, the same real values; weights stay int8). onnxruntime's x86 build fuses
   * int8 activations only where a tensor has one reader, so models with branches (residual adds)
   * run fully fused there with 'uint8'.
   */
  readonly activations?: ActivationType;
  /** Stored in ModelProto.doc_string. Default 'qatkit'. */
  readonly description?: string;
}

const IO_TYPES: readonly IoType[] = ['float32', 'int8', 'uint8'];
const LAYOUTS = ['nhwc', 'nchw'] as const;
const ACTIVATION_TYPES: readonly ActivationType[] = ['int8', 'uint8'];

/**
 * Writes an ONNX model: in QDQ form for a quantized IR graph (int8 initializers with per-axis
 * DequantizeLinear for weights, int32 biases, a QuantizeLinear after every quantized op), as a
 * plain float model for a graph without quantization. The graph and options are checked before
 * any byte is written; what cannot be written raises a QatkitError naming the op or tensor.
 */
export function exportOnnx(graph: Graph, options: OnnxExportOptions = {}): Uint8Array {
  const io = options.io ?? 'float32';
  if (!IO_TYPES.includes(io)) throw new QatkitError('INVALID_OPTION', `io must be one of ${IO_TYPES.join(', ')}; got ${String(io)}`);
  const layout = options.layout ?? 'nhwc';
  if (!LAYOUTS.includes(layout)) throw new QatkitError('INVALID_OPTION', `layout must be one of ${LAYOUTS.join(', ')}; got ${String(layout)}`);
  const activations = options.activations ?? 'int8';
  if (!ACTIVATION_TYPES.includes(activations)) throw new QatkitError('INVALID_OPTION', `activations must be one of ${ACTIVATION_TYPES.join(', ')}; got ${String(activations)}`);
  const int4 = options.int4 ?? 'auto';
  if (!INT4_STORAGE.includes(int4)) throw new QatkitError('INVALID_OPTION', `int4 must be one of ${INT4_STORAGE.join(', ')}; got ${String(int4)}`);
  const features = opsetFeatures(options.opset ?? DEFAULT_OPSET);
  validateGraph(graph);
  checkSupport(graph, features, io);
  const narrow = narrowStorage(graph, features, int4);
  const stored = activations === 'uint8' ? withUint8Activations(graph, new Set(narrow.keys())) : graph;
  return writeModel(stored, { features, io, ioLayout: layout, description: options.description ?? 'qatkit', narrow });
}

/** The ONNX exporter as a plugin for `createQuantizer`. */
export function onnxExporter(): Exporter<OnnxExportOptions> {
  return Object.freeze({
    name: 'onnx',
    format: 'onnx',
    extension: '.onnx',
    export: (graph: Graph, options?: OnnxExportOptions) => exportOnnx(graph, options),
  });
}
