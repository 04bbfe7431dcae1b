import { qatkitVitest } from '@qatkit/vitest-config';

// Packing, a cold-cache `npm install` (tfjs and its backends are large) and two Node runs: a few minutes at most.
export default qatkitVitest({ testTimeout: 180_000, hookTimeout: 300_000 });
