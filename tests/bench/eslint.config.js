import { qatkit } from '@qatkit/eslint-config';

export default qatkit(import.meta.url);
