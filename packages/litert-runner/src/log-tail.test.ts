import { describe, expect, it } from 'vitest';
import { hintFor, isProblemLine, LogTail, withLog } from './log-tail.js';

// Lines as LiteRT 2.5.3 prints them (copied from its output in this package's tests).
const XNNPACK = [
  'ERROR: failed to create XNNPACK runtime',
  'ERROR: Node number 3 (TfLiteXNNPackDelegate) failed to prepare.',
  'ERROR: [litert_compiled_model.cc:164] Failed to allocate tensors',
];

describe('isProblemLine', () => {
  it('takes ERROR, FATAL and absl E/F lines', () => {
    for (const line of [...XNNPACK, 'FATAL: out of memory', '  ERROR: indented', 'E1125 10:00:00.123456  42 model.cc:9] bad']) {
      expect(isProblemLine(line), line).toBe(true);
    }
  });

  it('ignores INFO, WARNING and continuation lines', () => {
    for (const line of [
      'INFO: Created TensorFlow Lite XNNPACK delegate for CPU.',
      'WARNING: [npu_registry.cc:34] NPU accelerator could not be loaded and registered: kLiteRtStatusErrorInvalidArgument.',
      'See instructions: https://www.tensorflow.org/lite/guide/ops_custom ',
      'ERRORS are fine', // not the level word
      'I1125 10:00:00.123456  42 model.cc:9] fine',
      '',
    ]) {
      expect(isProblemLine(line), line).toBe(false);
    }
  });
});

describe('LogTail', () => {
  it('keeps problem lines since clear(), trimmed and deduplicated, in order', () => {
    const tail = new LogTail();
    tail.push('ERROR: from an earlier call');
    tail.clear();
    tail.push('INFO: Initialized TensorFlow Lite runtime.');
    for (const line of [...XNNPACK, XNNPACK[0], ` ${XNNPACK[1]} `]) tail.push(line);
    expect(tail.problems()).toEqual(XNNPACK);
    tail.clear();
    expect(tail.problems()).toEqual([]);
  });

  it('does not lose errors among many other lines, and counts what it drops', () => {
    const tail = new LogTail();
    for (let i = 0; i < 1000; i++) tail.push(`INFO: line ${i}`);
    tail.push(XNNPACK[0]);
    expect(tail.problems()).toEqual([XNNPACK[0]]);
    for (let i = 0; i < 60; i++) tail.push(`ERROR: ${i}`);
    expect(tail.problems()).toHaveLength(50);
    expect(tail.droppedCount).toBe(11);
  });
});

describe('withLog', () => {
  it('returns the message alone when nothing was logged', () => {
    expect(withLog('it failed', new LogTail())).toBe('it failed');
  });

  it('appends LiteRT\'s lines, at most eight, and says how many more', () => {
    const tail = new LogTail();
    XNNPACK.forEach(tail.push);
    expect(withLog('it failed', tail)).toBe(`it failed\nLiteRT log:\n  ${XNNPACK.join('\n  ')}`);
    for (let i = 0; i < 10; i++) tail.push(`ERROR: ${i}`);
    const lines = withLog('it failed', tail).split('\n');
    expect(lines).toHaveLength(2 + 8 + 1);
    expect(lines.at(-1)).toBe('  … 5 more');
  });
});

describe('hintFor', () => {
  it('explains XNNPACK refusals and stays quiet otherwise', () => {
    expect(hintFor(XNNPACK)).toMatch(/input_scale × weight_scale \/ output_scale is 256 or more/);
    expect(hintFor(['ERROR: gather index out of bounds'])).toBe('');
  });
});
