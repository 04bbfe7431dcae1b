import { describe, expect, it } from 'vitest';
import { checkWorkspace, type Manifest, type WorkspacePackage } from './manifests.js';
import { loadWorkspace, workspaceGlobs } from './workspace.js';

describe('the workspace manifests', () => {
  const packages = loadWorkspace();

  it('finds every workspace package', () => {
    const dirs = packages.map((p) => p.dir);
    for (const dir of ['packages/core', 'packages/registry', 'packages/tfjs', 'apps/cli', 'tests/e2e', 'tooling/eslint-config']) {
      expect(dirs).toContain(dir);
    }
  });

  it('follow the layout and dependency rules', () => {
    expect(checkWorkspace(packages)).toEqual([]);
  });
});

// The checks themselves, on made-up manifests: each rule has to be able to fail.
const library = (short: string, extra: Partial<Manifest> = {}): WorkspacePackage => ({
  dir: `packages/${short}`,
  hasCode: true,
  hasEslintConfig: true,
  manifest: {
    name: `@qatkit/${short}`,
    type: 'module',
    sideEffects: false,
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    scripts: { lint: 'eslint .' },
    devDependencies: { '@qatkit/eslint-config': 'workspace:*', '@qatkit/core': 'workspace:*' },
    peerDependencies: { '@qatkit/core': 'workspace:^' },
    ...extra,
  },
});
const core = (extra: Partial<Manifest> = {}) =>
  library('core', { peerDependencies: undefined, devDependencies: { '@qatkit/eslint-config': 'workspace:*' }, ...extra });

describe('checkWorkspace', () => {
  it('accepts well-formed manifests', () => {
    expect(checkWorkspace([core(), library('registry'), library('scheme-8bit'), library('exporter-tflite')])).toEqual([]);
  });

  it('rejects dependencies of core', () => {
    expect(checkWorkspace([core({ dependencies: { valibot: '^1.0.0' } })])).toEqual([
      'packages/core: @qatkit/core must have no dependencies',
    ]);
    expect(checkWorkspace([core({ peerDependencies: { '@tensorflow/tfjs': '^4.22.0' } })])).toEqual([
      'packages/core: @qatkit/core must have no peerDependencies',
      'packages/core: peerDependencies mentions @tensorflow/tfjs: only @qatkit/tfjs, apps/cli, tests/e2e (and litert-runner and examples/* devDependencies) may',
    ]);
  });

  it('rejects libraries that are not side-effect-free ES modules with typed exports', () => {
    expect(checkWorkspace([library('registry', { type: 'commonjs', sideEffects: true })])).toEqual([
      'packages/registry: is not "type": "module"',
      'packages/registry: is not "sideEffects": false (or a list of ./dist/ modules)',
    ]);
    expect(checkWorkspace([library('registry', { sideEffects: ['./dist/register.js'] })])).toEqual([]);
    expect(checkWorkspace([library('registry', { sideEffects: ['src/register.ts'] })])).toEqual(['packages/registry: is not "sideEffects": false (or a list of ./dist/ modules)']);
    expect(checkWorkspace([library('registry', { exports: './dist/index.js' })])).toEqual([
      'packages/registry: has no "exports" map',
    ]);
    expect(checkWorkspace([library('registry', { exports: { '.': { import: './dist/index.js', types: './dist/index.d.ts' } } })])).toEqual([
      'packages/registry: "exports"["."] must list "types" first',
    ]);
  });

  it('rejects plugins without the core peer, or depending on other plugins', () => {
    expect(checkWorkspace([library('target-edgetpu', { peerDependencies: {} })])).toEqual([
      'packages/target-edgetpu: plugins must peer-depend on "@qatkit/core": "workspace:^" (one core instance)',
    ]);
    expect(checkWorkspace([library('exporter-onnx', { dependencies: { '@qatkit/scheme-8bit': 'workspace:^' } })])).toEqual([
      'packages/exporter-onnx: plugins never depend on other plugins: dependencies has @qatkit/scheme-8bit',
    ]);
    // a scheme may build on the registry
    expect(checkWorkspace([library('scheme-4bit', { dependencies: { '@qatkit/registry': 'workspace:^' } })])).toEqual([]);
    // … and on the base 8-bit table, which it parameterizes instead of copying
    expect(checkWorkspace([library('scheme-4bit', { dependencies: { '@qatkit/scheme-8bit': 'workspace:^' } })])).toEqual([]);
    expect(checkWorkspace([library('scheme-4bit', { dependencies: { '@qatkit/target-edgetpu': 'workspace:^' } })])).toEqual([
      'packages/scheme-4bit: plugins never depend on other plugins: dependencies has @qatkit/target-edgetpu',
    ]);
  });

  it('rejects a folder that does not match the package name', () => {
    const pkg = library('registry');
    expect(checkWorkspace([{ ...pkg, dir: 'packages/registries' }])).toEqual([
      'packages/registries: folder "registries" does not equal the package name "@qatkit/registry" without its scope',
    ]);
  });

  it('allows @tensorflow/* only in tfjs, the apps, and litert-runner devDependencies', () => {
    const tfjs = { '@tensorflow/tfjs': '4.22.0' };
    expect(checkWorkspace([library('exporter-tflite', { devDependencies: { ...library('x').manifest.devDependencies, ...tfjs } })])).toEqual([
      'packages/exporter-tflite: devDependencies mentions @tensorflow/tfjs: only @qatkit/tfjs, apps/cli, tests/e2e (and litert-runner and examples/* devDependencies) may',
    ]);
    const runner = library('litert-runner', { peerDependencies: undefined, devDependencies: { '@qatkit/eslint-config': 'workspace:*', ...tfjs } });
    expect(checkWorkspace([runner])).toEqual([]);
    expect(checkWorkspace([{ ...runner, manifest: { ...runner.manifest, dependencies: tfjs } }])).toEqual([
      'packages/litert-runner: dependencies mentions @tensorflow/tfjs: only @qatkit/tfjs, apps/cli, tests/e2e (and litert-runner and examples/* devDependencies) may',
    ]);
    expect(checkWorkspace([library('tfjs', { peerDependencies: { '@qatkit/core': 'workspace:^', ...tfjs } })])).toEqual([]);
  });

  it('rejects unknown packages and packages with code but no lint', () => {
    const pkg = library('quantize', { scripts: {} });
    expect(checkWorkspace([{ ...pkg, hasEslintConfig: false }])).toEqual([
      'packages/quantize: "@qatkit/quantize" has no role in tooling/eslint-config/src/roles.js',
      'packages/quantize: has code but no "lint" script',
      'packages/quantize: has code but no eslint.config.js',
    ]);
  });

  it('rejects non-private tooling and non-workspace ranges for workspace packages', () => {
    const e2e: WorkspacePackage = {
      dir: 'tests/e2e',
      hasCode: false,
      hasEslintConfig: false,
      manifest: { name: '@qatkit/e2e', devDependencies: { '@qatkit/core': '^0.1.0' } },
    };
    expect(checkWorkspace([e2e])).toEqual([
      'tests/e2e: tests/* packages must be "private": true',
      'tests/e2e: devDependencies.@qatkit/core must use the workspace: protocol',
    ]);
  });
});

describe('examples/*', () => {
  const example = (extra: Partial<Manifest> = {}): WorkspacePackage => {
    const lib = library('scheme-pow2', { private: true, ...extra });
    return { ...lib, dir: 'examples/scheme-pow2' };
  };
  it('are private, may use tfjs and any qatkit package in devDependencies, and are not held to plugin rules', () => {
    const dev = { ...library('x').manifest.devDependencies, '@tensorflow/tfjs': '4.22.0', '@qatkit/tfjs': 'workspace:*', '@qatkit/exporter-tflite': 'workspace:*' };
    expect(checkWorkspace([example({ devDependencies: dev })])).toEqual([]);
    expect(checkWorkspace([example({ private: undefined })])).toEqual(['examples/scheme-pow2: examples/* packages must be "private": true']);
    expect(checkWorkspace([example({ dependencies: { '@tensorflow/tfjs': '4.22.0' } })])).toEqual([
      'examples/scheme-pow2: dependencies mentions @tensorflow/tfjs: only @qatkit/tfjs, apps/cli, tests/e2e (and litert-runner and examples/* devDependencies) may',
    ]);
  });
});

describe('workspaceGlobs', () => {
  it('reads the packages: list of pnpm-workspace.yaml', () => {
    const yaml = "packages:\n  - packages/*\n  # comment\n  - 'apps/*'\nallowBuilds:\n  esbuild: true\n";
    expect(workspaceGlobs(yaml)).toEqual(['packages/*', 'apps/*']);
  });
});
