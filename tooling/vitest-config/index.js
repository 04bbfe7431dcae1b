// Shared vitest settings. `forks` because onnxruntime-node and the wasm runtimes
// break under vm-based pools (cross-realm typed-array checks).
import { defineConfig } from 'vitest/config';

/** @param {import('vitest/config').ViteUserConfig['test']} [overrides] */
export function qatkitVitest(overrides = {}) {
  return defineConfig({
    test: {
      pool: 'forks',
      include: ['src/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides,
    },
  });
}
