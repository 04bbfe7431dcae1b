import { qatkitVitest } from '@qatkit/vitest-config';

// The LiteRT test trains a small model first.
export default qatkitVitest({ testTimeout: 300_000, hookTimeout: 300_000 });
