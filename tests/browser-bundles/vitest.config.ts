import { qatkitVitest } from '@qatkit/vitest-config';

// One esbuild and one Vite bundle per library package; Vite's of tfjs takes a few seconds on 2 cores.
export default qatkitVitest({ testTimeout: 120_000 });
