import { qatkit } from './src/index.js';

export default qatkit(import.meta.url);
