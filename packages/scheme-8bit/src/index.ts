export { default8bit, type Default8bitOptions, type Default8bitScheme } from './default-8bit.js';
export { default8bitRows, DEFAULT_8BIT_FUSIONS } from './table.js';
export { A8, W8, LAYER_ACTIVATIONS } from './quantizers.js';
