// LiteRT.js loaded by other code before the runner: its print hooks, the runner's only view
// of failures, belong to that code. The runner must refuse it rather than run blind.
// (Its own file: vitest gives each file a fresh process, so LiteRT is not loaded yet.)
import * as core from '@litertjs/core';
import { expect, it } from 'vitest';
import { loadLiteRt } from './index.js';
import { resolveLiteRtWasmDir, withWorkerShim } from './worker-shim.js';

it('refuses a LiteRT.js runtime that other code loaded', async () => {
  expect(core.getGlobalLiteRtPromise()).toBeUndefined();
  const elsewhere: string[] = [];
  const hook = (line: string) => elsewhere.push(line);
  await withWorkerShim({ print: hook, printErr: hook }, () => core.loadLiteRt(resolveLiteRtWasmDir()));
  expect(elsewhere.join('\n')).toMatch(/NPU accelerator could not be loaded/); // the log went there

  await expect(loadLiteRt()).rejects.toThrow(
    /LiteRT\.js was already loaded in this process by other code, so its error log is not visible/,
  );
});
