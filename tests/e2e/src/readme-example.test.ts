import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** The README's API example, run as written: the README must stay true. */
describe('README example', () => {
  it('runs and prints the op list it promises', async () => {
    const text = await readFile(readme, 'utf8');
    const block = /<!-- readme-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- readme-example:end -->/.exec(text);
    expect(block, 'README has a marked ```ts example').not.toBeNull();
    const code = block![1]!;
    const promised = /^\/\/ (QUANTIZE.*)$/m.exec(code)![1]!;
    await mkdir(`${pkgDir}/.tmp`, { recursive: true });
    // Inside this package so that its @qatkit/* dependencies resolve.
    const file = `${pkgDir}/.tmp/readme-example.ts`;
    await writeFile(file, code);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: pkgDir, timeout: 240_000 });
    expect(stdout.trim().split('\n').at(-1)).toBe(promised);
  });
});
