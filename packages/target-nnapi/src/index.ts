export { nnapi, nnapiTables, type NnapiOptions } from './nnapi.js';
export type { NnapiConfig } from './rules.js';
