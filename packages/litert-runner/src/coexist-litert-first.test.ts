// LiteRT loaded before tfjs's wasm backend initialises: the case that breaks when the
// loader's worker globals (self, importScripts) stay behind, because tfjs's glue then
// believes it runs in a worker and looks for its .wasm relative to the working directory.
import { getGlobalLiteRtPromise } from '@litertjs/core';
import { expect, it } from 'vitest';
import { loadLiteRt } from './index.js';
import { litertComputes, tf, tfjsComputes, TFJS_EXPECTED, useTfjsWasm } from './test-utils/coexist.js';

it('LiteRT first, then tfjs-wasm: both compute correctly', async () => {
  expect(getGlobalLiteRtPromise()).toBeUndefined();
  // Not tf.findBackend('wasm'): that starts the backend's initialisation.
  expect(Object.keys(tf.engine().registry)).not.toContain('wasm');

  const litert = await loadLiteRt();
  expect(await litertComputes(litert)).toBeCloseTo(1, 1);

  await useTfjsWasm();
  expect(await tfjsComputes()).toEqual(TFJS_EXPECTED);
  expect(await litertComputes(litert)).toBeCloseTo(1, 1);
  expect(await tfjsComputes()).toEqual(TFJS_EXPECTED);
});
