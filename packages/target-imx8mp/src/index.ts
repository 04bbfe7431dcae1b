export { imx8mp, IMX8MP_TABLES } from './imx8mp.js';
export type { Imx8mpConfig } from './general.js';
