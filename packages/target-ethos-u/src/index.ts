export { ethosU, ETHOS_U_TABLES, ACCELERATORS, type EthosUOptions } from './ethos-u.js';
export type { EthosUConfig } from './general.js';
