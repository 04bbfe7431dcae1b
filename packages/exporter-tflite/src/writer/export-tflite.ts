import { QatkitError, validateGraph, type ExportOptions, type Exporter, type Graph, type IoType } from '@qatkit/core';
import { checkSupport } from './check-support.js';
import { splitFusedActivations } from './split-activations.js';
import { wrapIo } from './wrap-io.js';
import { writeModel } from './write-model.js';

export interface TfliteExportOptions extends ExportOptions {
  /** Model I/O element type; 'float32' (the default) adds QUANTIZE/DEQUANTIZE at int8 edges. Float graphs need 'float32'. */
  readonly io?: IoType;
  /** Stored in Model.description. Default 'qatkit'. */
  readonly description?: string;
}

const IO_TYPES: readonly IoType[] = ['float32', 'int8', 'uint8'];

/**
 * Writes a TFLite model (schema 3): full-integer for a quantized IR graph, float32 for a graph
 * without quantization, both for a graph whose int8 and float parts meet at QUANTIZE / DEQUANTIZE.
 * The graph is checked completely before any byte is written: unsupported ops, an op mixing int8
 * and float tensors, broken kernel constraints or runtime limits raise a QatkitError naming the op
 * and tensor.
 */
export function exportTflite(graph: Graph, options: TfliteExportOptions = {}): Uint8Array {
  const io = options.io ?? 'float32';
  if (!IO_TYPES.includes(io)) throw new QatkitError('INVALID_OPTION', `io must be one of ${IO_TYPES.join(', ')}; got ${String(io)}`);
  validateGraph(graph);
  const wrapped = wrapIo(splitFusedActivations(graph), io);
  checkSupport(wrapped);
  return writeModel(wrapped, options.description ?? 'qatkit');
}

/** The TFLite exporter as a plugin for the qatkit registry. */
export function tfliteExporter(): Exporter<TfliteExportOptions> {
  return Object.freeze({
    name: 'tflite',
    format: 'tflite',
    extension: '.tflite',
    export: (graph: Graph, options?: TfliteExportOptions) => exportTflite(graph, options),
  });
}
