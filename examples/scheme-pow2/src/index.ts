export { pow2, pow2Row, pow2Scheme, type Pow2Options, type Pow2Scheme } from './pow2-scheme.js';
