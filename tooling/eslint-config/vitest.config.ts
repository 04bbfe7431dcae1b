// Not @qatkit/vitest-config: that package is linted with this one, and a cycle would break turbo.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
