#!/usr/bin/env node
import { isQatkitError } from '@qatkit/core';
import { UsageError, main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`qatkit: ${isQatkitError(err) ? `${err.code}: ` : ''}${message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
