export { exportTflite, tfliteExporter, type TfliteExportOptions } from './writer/export-tflite.js';
export {
  readTflite,
  type TfliteSummary,
  type TfliteSubgraphSummary,
  type TfliteTensorSummary,
  type TfliteOperatorSummary,
  type TfliteQuantizationSummary,
} from './reader/read-tflite.js';
