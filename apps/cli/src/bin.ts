#!/usr/bin/env node
import { isQatkitError } from '@qatkit/core';
import { EXIT, main } from './main.js';

// Usage errors and verdicts are printed by main; what reaches here failed at run time.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`qatkit: ${isQatkitError(err) ? `${err.code}: ` : ''}${message}\n`);
    process.exit(EXIT.failure);
  },
);
