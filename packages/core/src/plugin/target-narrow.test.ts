import { describe, expect, it } from 'vitest';
import { act, konst, model } from '../test-utils/target-model.js';
import { opContext } from './target-model.js';
import { narrowStorage, narrowTensors } from './target-narrow.js';

describe('narrow storage', () => {
  it('names the tensors narrower than their type: weights, inputs, outputs, each once', () => {
    const m = model(
      [act([1, 4], 'INT8', { name: 'x', bits: 6 }), konst([3, 4], 'INT8', { name: 'w', bits: 4 }), konst([3], 'INT32', { name: 'b' }), act([1, 3], 'INT8', { name: 'y', bits: 6 })],
      [['FULLY_CONNECTED', [0, 1, 2], [3]]],
    );
    const c = opContext(m, 0, 0);
    expect(narrowTensors(c).map((n) => [n.tensor.name, n.bits, n.storageBits])).toEqual([['x', 6, 8], ['w', 4, 8], ['y', 6, 8]]);
    expect(narrowStorage(c)).toBe('6-bit input "x" in INT8, 4-bit weights "w" in INT8, 6-bit output "y" in INT8');
  });

  it('says nothing for full-width tensors, unknown types or a width that fills the storage', () => {
    const m = model([act([1, 4], 'INT8', { bits: 8 }), act([1, 4], 'INT16'), act([1, 4], 'FLOAT32', { bits: 4 })], [['ADD', [0, 1], [2]]]);
    expect(narrowStorage(opContext(m, 0, 0))).toBeUndefined();
    const same = model([act([1, 4]), act([1, 4])], [['ADD', [0, 0], [1]]]);
    expect(narrowTensors(opContext(same, 0, 0))).toEqual([]);
  });

  it('counts the rest beyond three', () => {
    const t = (name: string) => act([1, 2], 'INT8', { name, bits: 4 });
    const m = model([t('a'), t('b'), t('c'), t('d'), t('e')], [['CONCATENATION', [0, 1, 2, 3], [4]]]);
    expect(narrowStorage(opContext(m, 0, 0))).toMatch(/"c" in INT8, and 2 more$/);
  });
});
