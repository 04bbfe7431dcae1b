// Checks on a package as packed for the registry: its package.json and the files in the tarball.
// Pure: takes the manifest and the file list, returns the problems found (empty when all is well).

export interface PackedManifest {
  readonly name?: string;
  readonly version?: string;
  readonly private?: boolean;
  readonly files?: unknown;
  readonly main?: unknown;
  readonly types?: unknown;
  readonly exports?: unknown;
  readonly bin?: unknown;
  readonly [field: string]: unknown;
}

const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const;

/** Protocols that only mean something inside this workspace. */
const LOCAL_PROTOCOL = /^(workspace|catalog|link|file|portal):/;

/** Every string inside an `exports`/`bin` value (conditions and subpaths nest). */
function targetsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(targetsOf);
}

const normalise = (target: string): string => target.replace(/^\.\//, '');

function checkRanges(m: PackedManifest): string[] {
  const problems: string[] = [];
  for (const field of DEP_FIELDS) {
    const deps = m[field];
    if (deps === undefined) continue;
    if (deps === null || typeof deps !== 'object') {
      problems.push(`${field} is not an object`);
      continue;
    }
    for (const [dep, range] of Object.entries(deps)) {
      if (typeof range !== 'string' || range === '' || LOCAL_PROTOCOL.test(range)) {
        problems.push(`${field}.${dep} is ${JSON.stringify(range)}, which a registry install cannot resolve`);
      }
    }
  }
  return problems;
}

function checkTargets(m: PackedManifest, files: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const fields = { main: m.main, types: m.types, exports: m.exports, bin: m.bin };
  for (const [field, value] of Object.entries(fields)) {
    for (const target of targetsOf(value)) {
      if (target.includes('*')) problems.push(`${field} has a pattern target "${target}" this check cannot verify`);
      else if (!files.has(normalise(target))) problems.push(`${field} points at "${target}", which is not in the tarball`);
    }
  }
  return problems;
}

/** Every problem of one packed package, as `name: problem` lines. */
export function checkPackedPackage(m: PackedManifest, files: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (typeof m.name !== 'string' || typeof m.version !== 'string') problems.push('has no name or no version');
  if (m.private === true) problems.push('is private, so it cannot be published');
  if (!Array.isArray(m.files) || !m.files.includes('dist')) problems.push('"files" does not include "dist"');
  if (m.exports === undefined) problems.push('has no "exports"');
  if (![...files].some((file) => file.startsWith('dist/'))) problems.push('ships no dist/ files (not built?)');
  const leaked = [...files].filter((file) => /(^|\/)(src|node_modules)\/|\.test\.[cm]?[jt]s$|\.tsbuildinfo$/.test(file));
  if (leaked.length > 0) problems.push(`ships files that are not meant to: ${leaked.slice(0, 5).join(', ')}`);
  // pnpm rewrites `workspace:` ranges when it packs; anything left would fail every user's install
  problems.push(...checkRanges(m), ...checkTargets(m, files));
  return problems.map((problem) => `${m.name ?? '(unnamed)'}: ${problem}`);
}
