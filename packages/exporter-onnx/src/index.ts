export { exportOnnx, onnxExporter, type OnnxExportOptions } from './export-onnx.js';
export type { Int4Storage } from './writer/storage-types.js';
export { OP_TABLE } from './writer/op-table.js';
export { MIN_OPSET, MAX_OPSET, DEFAULT_OPSET } from './writer/opsets.js';
