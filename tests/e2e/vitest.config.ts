import { qatkitVitest } from '@qatkit/vitest-config';

// One long end-to-end file: training dominates, so give it room.
export default qatkitVitest({ testTimeout: 600_000, hookTimeout: 900_000 });
