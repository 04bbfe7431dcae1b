import { describe, expect, it } from 'vitest';
import { UsageError, nonEmpty, oneOf, positiveInt } from './usage.js';

describe('positiveInt', () => {
  it('takes decimal digits and numbers ≥ 1', () => {
    expect(positiveInt('--n', '12000')).toBe(12000);
    expect(positiveInt('--n', '007')).toBe(7);
    expect(positiveInt('--n', 5)).toBe(5);
  });
  it.each(['-1', '0', '1.5', '1e3', '0x10', ' 5', '', 'abc', '99999999999999999999'])('rejects %j', (value) => {
    expect(() => positiveInt('--n', value)).toThrow(new UsageError(`--n must be a positive integer, got "${value}"`));
  });
  it('rejects non-strings that are not positive integers', () => {
    expect(() => positiveInt('--n', 0)).toThrow(UsageError);
    expect(() => positiveInt('--n', undefined)).toThrow('--n must be a positive integer, got "undefined"');
  });
});

describe('oneOf and nonEmpty', () => {
  it('accepts a listed word and names all of them otherwise', () => {
    expect(oneOf('--b', 'cpu', ['wasm', 'cpu'] as const)).toBe('cpu');
    expect(() => oneOf('--b', 'gpu', ['wasm', 'cpu', 'tensorflow'])).toThrow('--b must be wasm, cpu or tensorflow, got "gpu"');
    expect(() => oneOf('--b', 'gpu', ['wasm'])).toThrow('--b must be wasm, got "gpu"');
  });
  it('rejects empty and blank values', () => {
    expect(nonEmpty('--out', 'dir')).toBe('dir');
    expect(() => nonEmpty('--out', '')).toThrow('--out must not be empty');
    expect(() => nonEmpty('--out', '  ')).toThrow(UsageError);
  });
});
