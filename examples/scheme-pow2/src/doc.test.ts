import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

/** docs/custom-scheme.md must stay true: its quote is this package's code, its example typechecks and runs as written. */
const pkg = fileURLToPath(new URL('..', import.meta.url));
const doc = await readFile(fileURLToPath(new URL('../../../docs/custom-scheme.md', import.meta.url)), 'utf8');
const block = (marker: string) => {
  const m = new RegExp(`<!-- ${marker} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(doc);
  expect(m, `docs/custom-scheme.md has a ${marker} block`).not.toBeNull();
  return m![1]!;
};

describe('docs/custom-scheme.md', () => {
  it('quotes pow2Scheme exactly as the example defines it', async () => {
    expect(await readFile(`${pkg}/src/pow2-scheme.ts`, 'utf8')).toContain(block('custom-scheme:quote'));
  });

  it('has an example that typechecks and runs: power-of-two scales, LiteRT within one step, clean on the i.MX 8M Plus', async () => {
    // Inside this package so its dependencies resolve; the scheme is imported from source (not built here).
    const code = block('custom-scheme:example:start').replace("from '@qatkit/scheme-pow2'", "from '../src/index.js'");
    await mkdir(`${pkg}/.tmp`, { recursive: true });
    await writeFile(`${pkg}/.tmp/doc-example.ts`, code);
    const tsconfig = { extends: '../tsconfig.json', compilerOptions: { rootDir: '..', noEmit: true }, include: ['doc-example.ts'] };
    await writeFile(`${pkg}/.tmp/tsconfig.json`, JSON.stringify(tsconfig));
    await promisify(execFile)(process.execPath, [`${pkg}/node_modules/typescript/bin/tsc`, '-p', `${pkg}/.tmp/tsconfig.json`], { cwd: pkg });

    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      await import(pathToFileURL(`${pkg}/.tmp/doc-example.ts`).href);
    } finally {
      log.mockRestore();
    }
    expect(lines[0]).toBe('power-of-two scales: true');
    expect(Number(/^steps apart: (.*)$/.exec(lines[1]!)![1])).toBeLessThanOrEqual(1 + 1e-3);
    expect(lines[2]).toBe('imx8mp: accelerator');
  });
});
