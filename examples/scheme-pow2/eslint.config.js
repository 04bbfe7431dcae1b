import { qatkit } from '@qatkit/eslint-config';

// .tmp/ holds docs/custom-scheme.md's example as src/doc.test.ts writes it out to typecheck and run.
export default qatkit(import.meta.url, { ignores: ['.tmp/'] });
