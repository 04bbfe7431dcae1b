import { isQatkitError } from '@qatkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMutations, mutationArb, structureRanges } from '../test-utils/mutate.js';
import { modelFiles, readModel } from '../test-utils/paths.js';
import { readTflite } from './read-tflite.js';

const RUNS = 12_000;
const TIME_LIMIT_MS = 90_000;

describe('readTflite fuzzed with mutated real files', () => {
  it(`ends every one of ${RUNS} cases in a summary or MALFORMED_MODEL, quickly`, () => {
    const files = modelFiles().map((file) => {
      const bytes = readModel(file);
      return { file, bytes, ranges: structureRanges(readTflite(bytes), bytes.length) };
    });
    expect(files.length).toBeGreaterThanOrEqual(10);
    // The 4 MB MobileNetV2 is read ~20× slower than the rest: pick it less often.
    const weights = files.map((f) => (f.bytes.length > 1_000_000 ? 1 : 8));
    const caseArb = fc
      .oneof(...files.map((f, i) => ({ arbitrary: fc.constant(i), weight: weights[i]! })))
      .chain((i) => fc.tuple(fc.constant(i), fc.array(mutationArb(files[i]!.ranges, files[i]!.bytes.length), { minLength: 1, maxLength: 6 })));
    let runs = 0;
    let read = 0;
    let slowest = 0;
    const messages = new Set<string>();
    fc.assert(
      fc.property(caseArb, ([i, mutations]) => {
        const { bytes, undo } = applyMutations(files[i]!.bytes, mutations);
        const started = performance.now();
        try {
          readTflite(bytes);
          read++;
        } catch (e) {
          if (!isQatkitError(e, 'MALFORMED_MODEL')) throw e;
          messages.add(e.message.replace(/\d+/g, 'N'));
        } finally {
          slowest = Math.max(slowest, performance.now() - started);
          undo();
          runs++;
        }
      }),
      { numRuns: RUNS, seed: 20_251_125, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: true },
    );
    expect(runs).toBe(RUNS);
    // Both outcomes happen: mutations outside the checked structure still read.
    expect(read).toBeGreaterThan(RUNS * 0.03);
    expect(messages.size).toBeGreaterThan(50); // many distinct defects, each named
    expect(slowest).toBeLessThan(2_000);
    for (const f of files) expect(readTflite(f.bytes).subgraphs.length).toBeGreaterThan(0); // undo restored them
  });
});
