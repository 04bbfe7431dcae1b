// Shared ESLint flat config for every qatkit package:
//   // <package>/eslint.config.js
//   import { qatkit } from '@qatkit/eslint-config';
//   export default qatkit(import.meta.url);
// The package's role (core, plugin, tfjs, …) and its allowed imports come from its package.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importBoundaries } from './import-boundaries.js';
import { roleOf } from './roles.js';

/** @param {string} file */
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const own = readJson(fileURLToPath(new URL('../package.json', import.meta.url)));

/** The plugin envelope (style.md §6c): meta equals package.json, rules referenced by object. */
export const plugin = {
  meta: { name: own.name, version: own.version },
  rules: { 'import-boundaries': importBoundaries },
};

/** Never linted: build output, flatc output (src/generated, committed), caches. */
export const IGNORES = ['**/dist/', '**/src/generated/', '**/node_modules/', '**/.turbo/', '**/coverage/'];

/** Files that do not ship: tests, test helpers, benches, scripts and config files. */
export const DEV_FILES = [
  '**/*.test.ts',
  '**/*.test-d.ts',
  '**/*.bench.ts',
  '**/src/test-utils/**',
  'scripts/**',
  '*.config.{js,mjs,cjs,ts,mts,cts}',
];

const CODE_FILES = ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'];

/** Soft size rule (style.md §8.5): typical file 50–200 lines, soft cap 300, warning at 400. */
export const MAX_LINES = 400;

/** @param {Record<string, unknown>} manifest @param {readonly string[]} fields */
const namesIn = (manifest, fields) =>
  fields.flatMap((field) => Object.keys(/** @type {Record<string, string>} */ (manifest[field]) ?? {}));

const SRC_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const DEV_FIELDS = [...SRC_FIELDS, 'devDependencies'];

/**
 * The flat config for one package.
 * @param {string} where the config file's `import.meta.url`, or the package directory
 * @param {{ ignores?: string[] }} [options] extra ignore globs for this package
 * @returns {import('eslint').Linter.Config[]}
 */
export function qatkit(where, options = {}) {
  const packageDir = where.startsWith('file:') ? path.dirname(fileURLToPath(where)) : path.resolve(where);
  const manifest = readJson(path.join(packageDir, 'package.json'));
  const packageName = manifest.name;
  const role = roleOf(packageName);
  if (role === undefined) {
    throw new Error(
      `@qatkit/eslint-config: ${packageName} has no role; add it to tooling/eslint-config/src/roles.js`,
    );
  }

  /**
   * @param {'src' | 'dev'} context
   * @param {string[]} fields
   * @returns {import('eslint').Linter.RulesRecord}
   */
  const boundaries = (context, fields) => ({
    'qatkit/import-boundaries': [
      'error',
      {
        packageName,
        packageDir,
        role,
        context,
        listed: namesIn(manifest, fields),
        listedFields: fields.join('/'),
      },
    ],
  });

  // a package that ships nothing (tests/*) is all dev files
  const ships = ['exports', 'main', 'bin'].some((field) => manifest[field] !== undefined);
  const src = ships ? boundaries('src', SRC_FIELDS) : boundaries('dev', DEV_FIELDS);

  return [
    { name: 'qatkit/ignores', ignores: [...IGNORES, ...(options.ignores ?? [])] },
    { name: 'qatkit/eslint-recommended', ...js.configs.recommended },
    .../** @type {import('eslint').Linter.Config[]} */ (tseslint.configs.recommended),
    {
      name: 'qatkit/unused',
      rules: {
        // `const { name: _name, ...rest } = x` omits a key; `_x` marks a deliberately unused binding
        '@typescript-eslint/no-unused-vars': [
          'error',
          {
            ignoreRestSiblings: true,
            argsIgnorePattern: '^_',
            varsIgnorePattern: '^_',
            caughtErrorsIgnorePattern: '^_',
            destructuredArrayIgnorePattern: '^_',
          },
        ],
      },
    },
    {
      name: 'qatkit/node-scripts',
      files: ['**/*.{js,mjs,cjs}'],
      languageOptions: { globals: globals.nodeBuiltin },
    },
    {
      name: 'qatkit/size',
      files: CODE_FILES,
      rules: { 'max-lines': ['warn', { max: MAX_LINES }] },
    },
    {
      name: 'qatkit/boundaries/src',
      files: CODE_FILES,
      ignores: DEV_FILES,
      plugins: { qatkit: plugin },
      rules: src,
    },
    {
      name: 'qatkit/boundaries/dev',
      files: DEV_FILES,
      plugins: { qatkit: plugin },
      rules: boundaries('dev', DEV_FIELDS),
    },
  ];
}
