// tfjs's wasm backend initialised before LiteRT is loaded, then both used in turn.
// Vitest runs each test file in its own process (pool 'forks'), so the order holds.
import { getGlobalLiteRtPromise } from '@litertjs/core';
import { expect, it } from 'vitest';
import { loadLiteRt } from './index.js';
import { litertComputes, tf, tfjsComputes, TFJS_EXPECTED, useTfjsWasm } from './test-utils/coexist.js';

it('tfjs-wasm first, then LiteRT: both compute correctly', async () => {
  expect(getGlobalLiteRtPromise()).toBeUndefined();
  await useTfjsWasm();
  expect(await tfjsComputes()).toEqual(TFJS_EXPECTED);

  const litert = await loadLiteRt();
  expect(await litertComputes(litert)).toBeCloseTo(1, 1);

  expect(tf.getBackend()).toBe('wasm');
  expect(await tfjsComputes()).toEqual(TFJS_EXPECTED);
  expect(await litertComputes(litert)).toBeCloseTo(1, 1);
});
