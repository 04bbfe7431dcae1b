// `qatkit/import-boundaries`: the dependency rules of style.md §8.1 as one lint rule.
// A custom rule rather than `no-restricted-imports` because it also has to see dynamic
// `import('x')`, `typeof import('x')`, `import x = require('x')` and `require('x')`, and
// because "only what package.json lists" is an allow-list, which that rule cannot express.
import { builtinModules } from 'node:module';
import path from 'node:path';
import {
  ROLES,
  SCOPE,
  TENSORFLOW_ALLOWED,
  isTensorflow,
  isTooling,
  mayUseNode,
  workspaceImportPolicy,
} from './roles.js';

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. @param {string} specifier */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @param {string} specifier */
export function isBuiltin(specifier) {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(packageOf(specifier));
}

/** @param {string} specifier */
const isRelative = (specifier) => specifier.startsWith('.') || specifier.startsWith('/');

/**
 * @typedef {object} Options
 * @property {string} packageName
 * @property {string} packageDir absolute
 * @property {import('./roles.js').Role} role
 * @property {import('./roles.js').Context} context
 * @property {string[]} listed package names this file may import (from package.json)
 * @property {string} listedFields the package.json fields `listed` came from, for messages
 */

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the qatkit package dependency rules (style.md §8.1).' },
    schema: [
      {
        type: 'object',
        properties: {
          packageName: { type: 'string' },
          packageDir: { type: 'string' },
          role: { enum: [...ROLES] },
          context: { enum: ['src', 'dev'] },
          listed: { type: 'array', items: { type: 'string' } },
          listedFields: { type: 'string' },
        },
        required: ['packageName', 'packageDir', 'role', 'context', 'listed'],
        additionalProperties: false,
      },
    ],
    messages: {
      core: "'{{specifier}}': @qatkit/core imports no packages at all (no @qatkit/*, no @tensorflow/*, no Node built-ins).",
      node: "'{{specifier}}' is a Node built-in: {{packageName}} ships to browsers too. Keep Node APIs in *.test.ts, src/test-utils/**, scripts/ or the CLI.",
      tensorflow:
        "'{{specifier}}': only @qatkit/tfjs, @qatkit/models, apps/cli and tests/e2e (and litert-runner tests) may import @tensorflow/*.",
      workspace: "'{{specifier}}': {{why}}.",
      unlisted: "'{{specifier}}': {{pkg}} is not listed in {{fields}} of {{packageName}}'s package.json.",
      outside: "'{{specifier}}' reaches outside {{packageName}}: import other packages by name.",
    },
  },

  create(context) {
    /** @type {Options} */
    const options = context.options[0];
    const { packageName, packageDir, role, listedFields = 'the dependencies' } = options;
    const where = options.context;
    const listed = new Set(options.listed);
    const policy = workspaceImportPolicy(role, packageName, where);
    const fileDir = path.dirname(context.filename);

    /**
     * @param {unknown} specifier
     * @param {any} node the source literal (ESTree or TSESTree) to report on
     */
    function check(specifier, node) {
      if (typeof specifier !== 'string') return;
      /** @param {string} messageId @param {Record<string, string>} [data] */
      const report = (messageId, data = {}) =>
        context.report({ node, messageId, data: { specifier, packageName, ...data } });

      if (isRelative(specifier)) {
        const target = path.resolve(fileDir, specifier);
        const fromRoot = path.relative(packageDir, target);
        if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) report('outside');
        return;
      }
      if (role === 'core' && where === 'src') return report('core');
      if (isBuiltin(specifier)) {
        if (!mayUseNode(role, where)) report('node');
        return;
      }
      const pkg = packageOf(specifier);
      if (pkg === packageName) return;
      if (isTensorflow(pkg) && !TENSORFLOW_ALLOWED[role]?.contexts.includes(where)) return report('tensorflow');
      const toolingConfig = where === 'dev' && isTooling(pkg);
      if (pkg.startsWith(SCOPE) && !toolingConfig && policy && !policy.allowed(pkg)) {
        return report('workspace', { why: policy.why });
      }
      if (!listed.has(pkg)) report('unlisted', { pkg, fields: listedFields });
    }

    /** @param {any} node a node with a `source` that may be null */
    const fromSource = (node) => {
      if (node.source) check(node.source.value, node.source);
    };

    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        const source = node.source;
        if (source.type === 'Literal') check(source.value, source);
        else if (source.type === 'TemplateLiteral' && source.expressions.length === 0) {
          check(source.quasis[0].value.cooked, source);
        }
      },
      CallExpression(node) {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') {
          check(arg.value, arg);
        }
      },
      // TypeScript-only forms: `typeof import('x')` and `import x = require('x')`
      /** @param {any} node */
      TSImportType(node) {
        // `source` since typescript-eslint 8.x; older parsers only have `argument.literal`
        const literal = 'source' in node ? node.source : node.argument?.literal;
        if (literal?.type === 'Literal') check(literal.value, literal);
      },
      /** @param {any} node */
      TSExternalModuleReference(node) {
        if (node.expression?.type === 'Literal') check(node.expression.value, node.expression);
      },
    };
  },
};
