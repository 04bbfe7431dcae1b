export { nbit, activationQuantizer, weightQuantizer, type NbitScheme } from './nbit.js';
export type { LayerMatch, LayerOverride, LayerWidths, NbitOptions, ResolvedOptions } from './options.js';
