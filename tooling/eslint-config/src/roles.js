// The architecture of the workspace as data (style.md §8.1): which role a package plays and
// what each role may import. Used by the `qatkit/import-boundaries` lint rule and by the
// manifest checks in tests/workspace, so the two cannot drift apart.

export const SCOPE = '@qatkit/';

/**
 * @typedef {'core' | 'plugin' | 'tfjs' | 'models' | 'runner' | 'app' | 'tooling' | 'example'} Role
 *   core    @qatkit/core: contracts and math, imports nothing.
 *   plugin  registry, scheme-*, exporter-*, target-*: portable libraries on top of core.
 *   tfjs    @qatkit/tfjs: the one bridge to TensorFlow.js.
 *   models  @qatkit/models: reference architectures built from tfjs layers; imports tfjs and core only.
 *   runner  @qatkit/litert-runner, @qatkit/onnx-runner: run exported files in Node (test and CLI helpers).
 *   app     apps/cli, apps/playground, tests/e2e, tests/pack, tests/onnx, tests/browser-bundles, tests/bench: wire everything together.
 *   tooling tooling/*, tests/workspace: shared configs and workspace checks.
 *   example examples/*: code as a user writes it outside qatkit (e.g. a scheme): its src imports only the
 *           public APIs a scheme may use; its tests may use the whole toolchain (tfjs, exporters, runners).
 * @typedef {'src' | 'dev'} Context
 *   src  code that ships in dist; dev  tests, test-utils, benches, scripts, config files.
 */

/** @type {readonly Role[]} */
export const ROLES = ['core', 'plugin', 'tfjs', 'models', 'runner', 'app', 'tooling', 'example'];

const PLUGIN_NAME = /^@qatkit\/(registry|(scheme|exporter|target)-[a-z0-9-]+)$/;
const SCHEME_NAME = /^@qatkit\/scheme-[a-z0-9-]+$/;
/** The base table other schemes parameterize instead of copying (tfmot's forked copies drifted). */
export const BASE_SCHEME = '@qatkit/scheme-8bit';

/** @type {Readonly<Record<string, Role>>} */
const FIXED_ROLES = {
  '@qatkit/core': 'core',
  '@qatkit/tfjs': 'tfjs',
  '@qatkit/models': 'models',
  '@qatkit/litert-runner': 'runner',
  '@qatkit/onnx-runner': 'runner',
  '@qatkit/cli': 'app',
  '@qatkit/e2e': 'app',
  '@qatkit/pack': 'app',
  '@qatkit/targets': 'app',
  '@qatkit/onnx': 'app',
  '@qatkit/playground': 'app',
  '@qatkit/browser-bundles': 'app',
  '@qatkit/bench': 'app',
  '@qatkit/tsconfig': 'tooling',
  '@qatkit/vitest-config': 'tooling',
  '@qatkit/eslint-config': 'tooling',
  '@qatkit/workspace': 'tooling',
  // named like the scheme it is, but not one of qatkit's plugins: listed here, this wins over the name
  '@qatkit/scheme-pow2': 'example',
};

/**
 * The role of a workspace package, or `undefined` for a package nobody has placed yet
 * (add it to FIXED_ROLES or give it a role prefix).
 * @param {string} name package name
 * @returns {Role | undefined}
 */
export function roleOf(name) {
  return FIXED_ROLES[name] ?? (PLUGIN_NAME.test(name) ? 'plugin' : undefined);
}

/** @param {string} name */
export const isPlugin = (name) => roleOf(name) === 'plugin';

/** @param {string} name */
export const isScheme = (name) => isPlugin(name) && SCHEME_NAME.test(name);

/** @param {string} name */
export const isTooling = (name) => roleOf(name) === 'tooling';

/** @param {string} name */
export const isTensorflow = (name) => name.startsWith('@tensorflow/');

/**
 * Where `@tensorflow/*` may appear: in which manifest fields, and in which lint context.
 * @type {Readonly<Partial<Record<Role, { fields: readonly string[]; contexts: readonly Context[] }>>>}
 */
export const TENSORFLOW_ALLOWED = {
  tfjs: { fields: ['dependencies', 'devDependencies', 'peerDependencies', 'peerDependenciesMeta'], contexts: ['src', 'dev'] },
  // the user's tfjs builds the layers: a peer, never a dependency of its own
  models: { fields: ['devDependencies', 'peerDependencies', 'peerDependenciesMeta'], contexts: ['src', 'dev'] },
  app: { fields: ['dependencies', 'devDependencies', 'peerDependencies', 'peerDependenciesMeta'], contexts: ['src', 'dev'] },
  runner: { fields: ['devDependencies'], contexts: ['dev'] },
  // an example trains with tfjs in its tests; its shipped code stays framework-free like a scheme's
  example: { fields: ['devDependencies'], contexts: ['dev'] },
};

/**
 * Whether Node built-ins (`node:*`, `fs`, `path`, …) may be imported.
 * @param {Role} role
 * @param {Context} context
 */
export function mayUseNode(role, context) {
  if (context === 'dev') return true;
  return role !== 'core' && role !== 'plugin' && role !== 'models' && role !== 'example';
}

/**
 * Which workspace (`@qatkit/*`) packages a package may import, beyond the tooling configs in dev
 * files. `undefined` means: no extra restriction beyond being listed in package.json.
 * @param {Role} role
 * @param {string} name the importing package
 * @param {Context} context
 * @returns {{ allowed: (target: string) => boolean; why: string } | undefined}
 */
export function workspaceImportPolicy(role, name, context) {
  if (role === 'core') {
    return { allowed: () => false, why: '@qatkit/core depends on no other package' };
  }
  if (role === 'plugin') {
    const schemes = isScheme(name);
    return {
      allowed: (target) =>
        target === '@qatkit/core' ||
        (schemes && target === '@qatkit/registry') ||
        (schemes && target === BASE_SCHEME && name !== BASE_SCHEME) ||
        // tests may run exported models through the runners
        (context === 'dev' && (target === '@qatkit/litert-runner' || target === '@qatkit/onnx-runner')),
      why: schemes
        ? 'schemes import only @qatkit/core, @qatkit/registry and the base table @qatkit/scheme-8bit; plugins never import each other'
        : 'plugins import only @qatkit/core; plugins never import each other',
    };
  }
  if (role === 'example') {
    if (context === 'dev') return undefined;
    return {
      allowed: (target) => target === '@qatkit/core' || target === '@qatkit/registry' || target === BASE_SCHEME,
      why: 'an example scheme imports only the public APIs a scheme may: @qatkit/core, @qatkit/registry and @qatkit/scheme-8bit',
    };
  }
  if (role === 'models') {
    return {
      allowed: (target) => target === '@qatkit/core',
      why: '@qatkit/models imports only @qatkit/core (and @tensorflow/tfjs): models are what users bring, not qatkit code',
    };
  }
  return undefined;
}
