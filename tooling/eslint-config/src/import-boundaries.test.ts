import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { importBoundaries, isBuiltin, packageOf } from './import-boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

type Role = 'core' | 'plugin' | 'tfjs' | 'models' | 'runner' | 'app' | 'tooling' | 'example';
const ROOT = '/ws';

/** Options as the config factory builds them, for a package at /ws/<dir>. */
function options(packageName: string, role: Role, context: 'src' | 'dev', listed: readonly string[] = []) {
  const dir = `${ROOT}/${packageName.replace('@qatkit/', '')}`;
  return [{ packageName, packageDir: dir, role, context, listed, listedFields: 'dependencies' }];
}
const file = (packageName: string, rel: string) => `${ROOT}/${packageName.replace('@qatkit/', '')}/${rel}`;

type Case = { code: string; name: string; role: Role; context?: 'src' | 'dev'; listed?: readonly string[]; at?: string };
const valid = (c: Case) => ({
  code: c.code,
  filename: file(c.name, c.at ?? 'src/a.ts'),
  options: options(c.name, c.role, c.context ?? 'src', c.listed),
});
const invalid = (c: Case & { messageId: string }) => ({ ...valid(c), errors: [{ messageId: c.messageId }] });

const CORE = { name: '@qatkit/core', role: 'core' } as const;
const EXPORTER = { name: '@qatkit/exporter-tflite', role: 'plugin', listed: ['@qatkit/core', 'flatbuffers'] } as const;
const SCHEME = { name: '@qatkit/scheme-8bit', role: 'plugin', listed: ['@qatkit/core', '@qatkit/registry'] } as const;
const TFJS = { name: '@qatkit/tfjs', role: 'tfjs', listed: ['@qatkit/core', '@tensorflow/tfjs'] } as const;
const RUNNER = { name: '@qatkit/litert-runner', role: 'runner', listed: ['@litertjs/core'] } as const;
const MODELS = { name: '@qatkit/models', role: 'models', listed: ['@qatkit/core', '@tensorflow/tfjs'] } as const;
const TF = "import * as tf from '@tensorflow/tfjs';";
const EXAMPLE = { name: '@qatkit/scheme-pow2', role: 'example', listed: ['@qatkit/core', '@qatkit/registry', '@qatkit/scheme-8bit'] } as const;
const EXAMPLE_DEV = { ...EXAMPLE, context: 'dev', at: 'src/a.test.ts', listed: [...EXAMPLE.listed, '@qatkit/tfjs', '@tensorflow/tfjs', 'vitest'] } as const;

tester.run('import-boundaries', importBoundaries, {
  valid: [
    valid({ ...EXAMPLE, code: "import { default8bitRows } from '@qatkit/scheme-8bit'; import { createRegistry } from '@qatkit/registry';" }),
    valid({ ...EXAMPLE_DEV, code: `${TF} import { quantizeModel } from '@qatkit/tfjs'; import fs from 'node:fs';` }),
    valid({ ...CORE, code: "import { a } from './a.js'; export * from '../ir/b.js';" }),
    valid({ ...CORE, context: 'dev', at: 'src/a.test.ts', code: "import { it } from 'vitest'; import fs from 'node:fs';", listed: ['vitest'] }),
    valid({ ...CORE, context: 'dev', at: 'vitest.config.ts', code: "import { qatkitVitest } from '@qatkit/vitest-config';", listed: ['@qatkit/vitest-config'] }),
    valid({ ...EXPORTER, code: "import type { Graph } from '@qatkit/core'; import * as fb from 'flatbuffers';" }),
    valid({ ...EXPORTER, context: 'dev', code: "import { loadLiteRt } from '@qatkit/litert-runner'; import path from 'node:path';", listed: ['@qatkit/core', '@qatkit/litert-runner'] }),
    valid({ ...SCHEME, code: "import { createRegistry } from '@qatkit/registry';" }),
    valid({ name: '@qatkit/scheme-nbit', role: 'plugin', listed: ['@qatkit/core', '@qatkit/registry', '@qatkit/scheme-8bit'], code: "import { schemeRows } from '@qatkit/scheme-8bit';" }),
    valid({ ...TFJS, code: `${TF} const m = await import('node:module'); type W = typeof import('@tensorflow/tfjs');` }),
    valid({ ...TFJS, code: "const name = '@tensorflow/tfjs-node'; await import(name);" }),
    valid({ ...RUNNER, code: "import vm from 'node:vm'; import { loadLiteRt } from '@litertjs/core';" }),
    valid({ ...RUNNER, context: 'dev', code: TF, listed: ['@tensorflow/tfjs'] }),
    valid({ name: '@qatkit/cli', role: 'app', code: `${TF} import { quantizeModel } from '@qatkit/tfjs';`, listed: ['@tensorflow/tfjs', '@qatkit/tfjs'] }),
    valid({ ...MODELS, code: `${TF} import { QatkitError } from '@qatkit/core'; import { b } from './builder.js';` }),
    valid({ ...MODELS, context: 'dev', at: 'src/a.test.ts', code: `${TF} import { it } from 'vitest'; import fs from 'node:fs';`, listed: [...MODELS.listed, 'vitest'] }),
    valid({ name: '@qatkit/cli', role: 'app', code: "import { x } from '@qatkit/cli/sub';" }),
  ],
  invalid: [
    invalid({ ...EXAMPLE, code: "import { quantizeModel } from '@qatkit/tfjs';", listed: [...EXAMPLE.listed, '@qatkit/tfjs'], messageId: 'workspace' }),
    invalid({ ...EXAMPLE, code: TF, listed: [...EXAMPLE.listed, '@tensorflow/tfjs'], messageId: 'tensorflow' }),
    invalid({ ...EXAMPLE, code: "import fs from 'node:fs';", messageId: 'node' }),
    invalid({ ...CORE, code: "import type { Tensor } from '@tensorflow/tfjs';", messageId: 'core' }),
    invalid({ ...CORE, code: "import { readFileSync } from 'node:fs';", messageId: 'core' }),
    invalid({ ...CORE, code: "export { x } from '@qatkit/registry';", messageId: 'core' }),
    invalid({ ...CORE, code: "const v = await import('valibot');", messageId: 'core' }),
    invalid({ ...CORE, context: 'dev', at: 'src/a.test.ts', code: TF, listed: ['@tensorflow/tfjs'], messageId: 'tensorflow' }),
    invalid({ ...CORE, context: 'dev', at: 'src/a.test.ts', code: "import { r } from '@qatkit/registry';", listed: ['@qatkit/registry'], messageId: 'workspace' }),
    invalid({ ...EXPORTER, code: TF, messageId: 'tensorflow' }),
    invalid({ ...EXPORTER, code: "type T = typeof import('@tensorflow/tfjs');", messageId: 'tensorflow' }),
    invalid({ ...EXPORTER, code: "import fs from 'fs';", messageId: 'node' }),
    invalid({ ...EXPORTER, code: "import { spawn } from 'child_process';", messageId: 'node' }),
    invalid({ ...EXPORTER, code: "const p = await import(`node:path`);", messageId: 'node' }),
    invalid({ ...EXPORTER, code: "import x = require('node:path');", messageId: 'node' }),
    invalid({ ...EXPORTER, code: "const fs = require('fs');", messageId: 'node' }),
    invalid({ ...EXPORTER, code: "import { default8bit } from '@qatkit/scheme-8bit';", messageId: 'workspace' }),
    invalid({ ...EXPORTER, code: "import { createRegistry } from '@qatkit/registry';", messageId: 'workspace' }),
    invalid({ ...EXPORTER, code: "import { loadLiteRt } from '@qatkit/litert-runner';", messageId: 'workspace' }),
    invalid({ ...EXPORTER, code: "import { z } from 'zod';", messageId: 'unlisted' }),
    invalid({ ...EXPORTER, code: "import { x } from '../../core/src/index.js';", messageId: 'outside' }),
    invalid({ ...SCHEME, code: "import { tfliteExporter } from '@qatkit/exporter-tflite';", messageId: 'workspace' }),
    invalid({ name: '@qatkit/scheme-nbit', role: 'plugin', listed: ['@qatkit/core', '@qatkit/target-edgetpu'], code: "import { edgetpu } from '@qatkit/target-edgetpu';", messageId: 'workspace' }),
    invalid({ ...RUNNER, code: TF, messageId: 'tensorflow' }),
    invalid({ ...TFJS, code: "import wasm from '@tensorflow/tfjs-backend-wasm';", messageId: 'unlisted' }),
    invalid({ ...MODELS, code: "import { quantizeModel } from '@qatkit/tfjs';", listed: [...MODELS.listed, '@qatkit/tfjs'], messageId: 'workspace' }),
    invalid({ ...MODELS, code: "import { default8bit } from '@qatkit/scheme-8bit';", listed: [...MODELS.listed, '@qatkit/scheme-8bit'], messageId: 'workspace' }),
    invalid({ ...MODELS, context: 'dev', at: 'src/a.test.ts', code: "import { quantizeModel } from '@qatkit/tfjs';", listed: [...MODELS.listed, '@qatkit/tfjs'], messageId: 'workspace' }),
    invalid({ ...MODELS, code: "import { readFileSync } from 'node:fs';", messageId: 'node' }),
    invalid({ ...MODELS, code: "import wasm from '@tensorflow/tfjs-backend-wasm';", messageId: 'unlisted' }),
    invalid({ name: '@qatkit/e2e', role: 'app', context: 'dev', at: 'src/e2e.test.ts', code: "import { x } from '@qatkit/cli';", listed: ['@qatkit/tfjs'], messageId: 'unlisted' }),
    invalid({ name: '@qatkit/workspace', role: 'tooling', context: 'dev', at: 'src/a.test.ts', code: TF, listed: ['@tensorflow/tfjs'], messageId: 'tensorflow' }),
  ],
});

describe('specifier helpers', () => {
  it('names the package of a specifier', () => {
    expect(packageOf('@qatkit/core')).toBe('@qatkit/core');
    expect(packageOf('@tensorflow/tfjs-core/dist/ops')).toBe('@tensorflow/tfjs-core');
    expect(packageOf('vitest/config')).toBe('vitest');
  });
  it('recognises Node built-ins with and without the node: prefix', () => {
    expect(['node:fs', 'fs', 'fs/promises', 'path', 'child_process', 'node:test'].map(isBuiltin)).toEqual([true, true, true, true, true, true]);
    expect(['flatbuffers', '@qatkit/core', 'pathe'].map(isBuiltin)).toEqual([false, false, false]);
  });
});
