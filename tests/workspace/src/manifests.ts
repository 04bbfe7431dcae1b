// Checks on the package.json files themselves: the layout and dependency rules of style.md §8.1
// that a lint rule cannot see. Pure: takes the workspace as data, returns the problems found.
import { BASE_SCHEME, SCOPE, TENSORFLOW_ALLOWED, isPlugin, isScheme, isTensorflow, roleOf } from '@qatkit/eslint-config/roles';

export interface Manifest {
  readonly name?: string;
  readonly private?: boolean;
  readonly type?: string;
  readonly sideEffects?: unknown;
  readonly exports?: unknown;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, unknown>>;
}

export interface WorkspacePackage {
  /** Relative to the workspace root, with `/`: `packages/core`. */
  readonly dir: string;
  readonly manifest: Manifest;
  /** The package has code to lint (a `src/` folder or `.js` files at its root). */
  readonly hasCode: boolean;
  readonly hasEslintConfig: boolean;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'peerDependenciesMeta'] as const;
type DepField = (typeof DEP_FIELDS)[number];

const namesIn = (m: Manifest, field: DepField): string[] => Object.keys(m[field] ?? {});

/** `exports` must be a map whose every conditional entry starts with `types` (TypeScript reads the first match). */
function checkExports(exportsField: unknown): string[] {
  if (exportsField === null || typeof exportsField !== 'object' || Array.isArray(exportsField)) {
    return ['has no "exports" map'];
  }
  const entries = Object.entries(exportsField);
  if (!entries.some(([key]) => key === '.')) return ['"exports" has no "." entry'];
  const problems: string[] = [];
  for (const [key, value] of entries) {
    if (value === null || typeof value !== 'object') {
      problems.push(`"exports"["${key}"] is not a conditions object with "types"`);
    } else if (Object.keys(value)[0] !== 'types') {
      problems.push(`"exports"["${key}"] must list "types" first`);
    }
  }
  return problems;
}

function checkPackage(pkg: WorkspacePackage): string[] {
  const { dir, manifest: m } = pkg;
  const problems: string[] = [];
  const name = m.name ?? '';
  const folder = dir.split('/').at(-1);
  const group = dir.split('/')[0];

  if (!name.startsWith(SCOPE)) problems.push(`name "${name}" is not in the ${SCOPE} scope`);
  else if (name.slice(SCOPE.length) !== folder) problems.push(`folder "${folder}" does not equal the package name "${name}" without its scope`);
  const role = roleOf(name);
  if (role === undefined) problems.push(`"${name}" has no role in tooling/eslint-config/src/roles.js`);

  if (role === 'core') {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
      if (namesIn(m, field).length > 0) problems.push(`@qatkit/core must have no ${field}`);
    }
  }

  if (group === 'packages') {
    if (m.type !== 'module') problems.push('is not "type": "module"');
    // A list names the only modules with import-time effects (the tfjs bridge registers its layer classes).
    const listed = Array.isArray(m.sideEffects) && m.sideEffects.length > 0 && m.sideEffects.every((f) => typeof f === 'string' && f.startsWith('./dist/'));
    if (m.sideEffects !== false && !listed) problems.push('is not "sideEffects": false (or a list of ./dist/ modules)');
    problems.push(...checkExports(m.exports));
  } else if ((group === 'tooling' || group === 'tests' || group === 'examples') && m.private !== true) {
    problems.push(`${group}/* packages must be "private": true`);
  }

  if (isPlugin(name)) {
    if (!m.peerDependencies?.['@qatkit/core']?.startsWith('workspace:')) {
      problems.push('plugins must peer-depend on "@qatkit/core": "workspace:^" (one core instance)');
    }
    if (!m.devDependencies?.['@qatkit/core']) problems.push('plugins list @qatkit/core in devDependencies too');
    if (m.dependencies?.['@qatkit/core']) problems.push('@qatkit/core belongs in peerDependencies, not dependencies');
    for (const field of DEP_FIELDS) {
      for (const dep of namesIn(m, field)) {
        const allowed = isScheme(name) && (dep === '@qatkit/registry' || dep === BASE_SCHEME);
        if (isPlugin(dep) && dep !== name && !allowed) problems.push(`plugins never depend on other plugins: ${field} has ${dep}`);
      }
    }
  }

  const tensorflowFields = (role && TENSORFLOW_ALLOWED[role]?.fields) ?? [];
  for (const field of DEP_FIELDS) {
    for (const dep of namesIn(m, field).filter(isTensorflow)) {
      if (!tensorflowFields.includes(field)) {
        problems.push(`${field} mentions ${dep}: only @qatkit/tfjs, apps/cli, tests/e2e (and litert-runner and examples/* devDependencies) may`);
      }
    }
  }

  for (const field of DEP_FIELDS) {
    if (field === 'peerDependenciesMeta') continue;
    for (const [dep, range] of Object.entries(m[field] ?? {})) {
      if (dep.startsWith(SCOPE) && !range.startsWith('workspace:')) problems.push(`${field}.${dep} must use the workspace: protocol`);
    }
  }

  if (pkg.hasCode) {
    if (m.scripts?.lint === undefined) problems.push('has code but no "lint" script');
    if (!pkg.hasEslintConfig) problems.push('has code but no eslint.config.js');
    if (name !== '@qatkit/eslint-config' && !m.devDependencies?.['@qatkit/eslint-config']) {
      problems.push('has code but no devDependency on @qatkit/eslint-config');
    }
  }
  return problems.map((problem) => `${dir}: ${problem}`);
}

/** Every problem in the workspace, as `dir: problem` lines; empty when all is well. */
export function checkWorkspace(packages: readonly WorkspacePackage[]): string[] {
  const problems = packages.flatMap(checkPackage);
  const seen = new Map<string, string>();
  for (const { dir, manifest } of packages) {
    const name = manifest.name ?? '';
    const other = seen.get(name);
    if (other !== undefined) problems.push(`${dir}: package name "${name}" is also used by ${other}`);
    seen.set(name, dir);
  }
  return problems;
}
