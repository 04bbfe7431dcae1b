import { qatkitVitest } from '@qatkit/vitest-config';

// One page load trains for ~70 steps in headless Chromium (about 15 s on 2 cores) before the checks.
export default qatkitVitest({ testTimeout: 60_000, hookTimeout: 120_000 });
