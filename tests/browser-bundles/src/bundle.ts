// Browser bundles of one package entry, made the way a user's bundler would: no externals,
// no aliases, no defines. A build error (e.g. "Could not resolve 'node:module'") fails it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { build as viteBuild, type Rollup } from 'vite';
import { HERE } from './library-packages.js';

export interface BundleResult {
  /** The bundled JavaScript, all chunks concatenated. */
  code: string;
  /** Every module the bundler read, as it names them. */
  inputs: string[];
  warnings: string[];
}

/** The entry a user writes: import everything the package exports, keep it alive. */
const entrySource = (specifier: string) => `import * as m from '${specifier}';\nglobalThis.__bundled = m;\n`;

export async function esbuildBrowser(specifier: string): Promise<BundleResult> {
  const result = await esbuild.build({
    stdin: { contents: entrySource(specifier), resolveDir: HERE, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return {
    code: result.outputFiles.map((f) => f.text).join('\n'),
    inputs: Object.keys(result.metafile.inputs),
    warnings: result.warnings.map((w) => w.text),
  };
}

export async function viteBrowser(specifier: string): Promise<BundleResult> {
  // Vite wants an entry file on disk; it lives beside our node_modules so the import resolves.
  const dir = mkdtempSync(path.join(HERE, '.tmp-vite-'));
  const entry = path.join(dir, 'entry.js');
  writeFileSync(entry, entrySource(specifier));
  const warnings: string[] = [];
  try {
    const out = await viteBuild({
      configFile: false,
      logLevel: 'warn',
      root: dir,
      build: {
        write: false,
        minify: false,
        lib: { entry, formats: ['es'], fileName: 'bundle' },
        rollupOptions: { onwarn: (w) => void warnings.push(w.message) },
      },
      customLogger: {
        info: () => {},
        warn: (msg) => void warnings.push(msg),
        warnOnce: (msg) => void warnings.push(msg),
        error: (msg) => void warnings.push(msg),
        clearScreen: () => {},
        hasErrorLogged: () => false,
        hasWarned: false,
      },
    });
    const outputs = (Array.isArray(out) ? out : [out]) as Rollup.RollupOutput[];
    const chunks = outputs.flatMap((o) => o.output).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
    return {
      code: chunks.map((c) => c.code).join('\n'),
      inputs: chunks.flatMap((c) => Object.keys(c.modules)),
      warnings,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

