import type { Graph } from '../ir/types.js';

/** Element type of the exported model's inputs and outputs. */
export type IoType = 'float32' | 'int8' | 'uint8';

export interface ExportOptions {
  /** float32 adds QUANTIZE/DEQUANTIZE at the edges; int8/uint8 keep the model integer end to end. */
  readonly io?: IoType;
}

/** Turns a quantized IR graph into the bytes of one file format. Pure: no file system. */
export interface Exporter<O extends ExportOptions = ExportOptions> {
  readonly name: string;
  /** e.g. 'tflite', 'onnx' */
  readonly format: string;
  /** File extension including the dot, e.g. '.tflite'. */
  readonly extension: string;
  export(graph: Graph, options?: O): Uint8Array;
}
