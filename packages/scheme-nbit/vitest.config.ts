import { qatkitVitest } from '@qatkit/vitest-config';

export default qatkitVitest();
