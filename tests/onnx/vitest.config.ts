import { qatkitVitest } from '@qatkit/vitest-config';

// Whole models through two runtimes (and a short training run for the CNN): give them room.
export default qatkitVitest({ testTimeout: 300_000, hookTimeout: 300_000 });
