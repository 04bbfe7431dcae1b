export { exportTflite, tfliteExporter, type TfliteExportOptions } from './writer/export-tflite.js';
export {
  readTflite,
  type TfliteSummary,
  type TfliteOptionValue,
  type TfliteSubgraphSummary,
  type TfliteTensorSummary,
  type TfliteOperatorSummary,
  type TfliteQuantizationSummary,
} from './reader/read-tflite.js';
