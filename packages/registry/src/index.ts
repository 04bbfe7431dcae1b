export { createRegistry, extendRegistry, unsupportedLayerMessage, type TableRegistry } from './create-registry.js';
export { rowMatches, describeMatch, describeMismatch, type RegistryRow, type ConfigMatch } from './table.js';
