export { edgetpu, EDGETPU_TABLES, type EdgeTpuOptions } from './edgetpu.js';
export type { EdgeTpuConfig } from './general.js';
