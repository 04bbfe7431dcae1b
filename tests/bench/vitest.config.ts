import { qatkitVitest } from '@qatkit/vitest-config';

// The only test parses BENCHMARKS.md and the result JSON shapes: fast.
export default qatkitVitest({});
