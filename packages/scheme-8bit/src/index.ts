export { default8bit, type Default8bitOptions, type Default8bitScheme } from './default-8bit.js';
export { default8bitRows, schemeRows, DEFAULT_8BIT_FUSIONS, type SchemeQuantizers } from './table.js';
export { A8, W8, LAYER_ACTIVATIONS } from './quantizers.js';
