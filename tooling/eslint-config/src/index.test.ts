import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINES, qatkit } from './index.js';

/** A throw-away package directory with the given manifest. */
function fixture(manifest: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'qatkit-eslint-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  mkdirSync(path.join(dir, 'src', 'generated'), { recursive: true });
  return dir;
}

describe('qatkit()', () => {
  let dir: string;
  let eslint: ESLint;
  const lint = async (rel: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(dir, rel) });
    return result;
  };

  beforeAll(() => {
    dir = fixture({
      name: '@qatkit/exporter-demo',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      dependencies: { flatbuffers: '25.9.23' },
      peerDependencies: { '@qatkit/core': 'workspace:^' },
      devDependencies: { '@qatkit/core': 'workspace:*', vitest: '4.1.12' },
    });
    eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: qatkit(dir) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the role and allowed imports from package.json', async () => {
    const ok = await lint('src/a.ts', "import * as fb from 'flatbuffers';\nimport type { Graph } from '@qatkit/core';\nexport type X = [typeof fb, Graph];\n");
    expect(ok.messages).toEqual([]);
    const bad = await lint('src/a.ts', "import { it } from 'vitest';\nimport fs from 'node:fs';\nexport const x = [it, fs];\n");
    expect(bad.messages.map((m) => m.ruleId)).toEqual(['qatkit/import-boundaries', 'qatkit/import-boundaries']);
  });

  it('lets tests and test-utils use devDependencies and Node', async () => {
    const code = "import { it } from 'vitest';\nimport fs from 'node:fs';\nexport const x = [it, fs];\n";
    expect((await lint('src/a.test.ts', code)).messages).toEqual([]);
    expect((await lint('src/test-utils/paths.ts', code)).messages).toEqual([]);
  });

  it(`warns above ${MAX_LINES} lines`, async () => {
    const line = (i: number) => `export const v${i} = ${i};\n`;
    const short = Array.from({ length: MAX_LINES }, (_, i) => line(i)).join('');
    expect((await lint('src/short.ts', short)).messages).toEqual([]);
    const long = await lint('src/long.ts', short + line(MAX_LINES));
    expect(long.messages.map((m) => [m.ruleId, m.severity])).toEqual([['max-lines', 1]]);
  });

  it('ignores generated code and build output', async () => {
    expect(await eslint.isPathIgnored(path.join(dir, 'src/generated/tflite/model.ts'))).toBe(true);
    expect(await eslint.isPathIgnored(path.join(dir, 'dist/index.js'))).toBe(true);
    expect(await eslint.isPathIgnored(path.join(dir, 'src/index.ts'))).toBe(false);
  });

  it('applies the recommended JS and TypeScript rules', async () => {
    const result = await lint('src/a.ts', 'export let a: any = 1;\ndebugger;\n');
    expect(result.messages.map((m) => m.ruleId).sort()).toEqual(['@typescript-eslint/no-explicit-any', 'no-debugger', 'prefer-const']);
  });

  it('refuses a package without a role', () => {
    const other = fixture({ name: '@qatkit/mystery' });
    try {
      expect(() => qatkit(other)).toThrow(/has no role/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
