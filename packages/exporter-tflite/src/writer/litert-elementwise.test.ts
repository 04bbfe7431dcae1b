import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTflite } from '../reader/read-tflite.js';
import { floatError, int8Agreement } from '../test-utils/compare.js';
import { NetBuilder, type Net } from '../test-utils/net-builder.js';
import { exportTflite } from './export-tflite.js';

/**
 * ADD, SUB, MUL, MAXIMUM, MINIMUM on LiteRT, int8 and float: two computed inputs of one shape,
 * a computed input broadcast over another, and a constant broadcast over the channels. The
 * second operand comes from exact ops (TRANSPOSE, REDUCE_MAX), so only the tested op can differ.
 */

type Binary = 'Add' | 'Sub' | 'Mul' | 'Maximum' | 'Minimum';
type Variant = 'same shape' | 'broadcast' | 'constant';

function binaryNet(kind: Binary, variant: Variant, float: boolean): Net {
  const nb = new NetBuilder(`${kind}_${variant}`, float, 11);
  const x = nb.input([2, 4, 4, 3], [-2, 2]);
  const sameScale = kind === 'Maximum' || kind === 'Minimum';
  let y: string;
  if (variant === 'same shape') y = nb.op('Transpose', 't', [x], { perm: [0, 2, 1, 3] });
  else if (variant === 'broadcast') y = nb.op('ReduceMax', 'm', [x], { axes: [1, 2], keepDims: true });
  // MAXIMUM/MINIMUM compare raw integers, so their constant shares x's parameters.
  else y = nb.constant('k', Float32Array.of(-1.5, 0.25, 1.75), [3], sameScale ? nb.tensor(x).quantization : undefined);
  const attrs = sameScale ? {} : { activation: kind === 'Add' ? 'relu6' : 'none' };
  const out = nb.op(kind, 'op', [x, y], attrs as never);
  return nb.build([out]);
}

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

const KINDS: Binary[] = ['Add', 'Sub', 'Mul', 'Maximum', 'Minimum'];
const VARIANTS: Variant[] = ['same shape', 'broadcast', 'constant'];
const cases = KINDS.flatMap((k) => VARIANTS.map((v) => [k, v] as const));

describe('binary elementwise ops on LiteRT', () => {
  it.each(cases)('int8 %s (%s) is within one step of the reference', async (kind, variant) => {
    const a = await int8Agreement(rt, binaryNet(kind, variant, false));
    expect(a.count).toBe(8 * 2 * 4 * 4 * 3);
    expect(a.withinOne).toBeGreaterThanOrEqual(0.99);
    expect(a.worst).toBeLessThanOrEqual(2);
  });

  it.each(cases)('float %s (%s) matches the reference within 1e-5', async (kind, variant) => {
    expect(await floatError(rt, binaryNet(kind, variant, true))).toBeLessThan(1e-5);
  });

  it('writes the operators with the converter\'s versions and options', () => {
    const ops = (kind: Binary, float: boolean) => readTflite(exportTflite(binaryNet(kind, 'broadcast', float).graph)).subgraphs[0]!.operators;
    const last = (kind: Binary, float: boolean) => ops(kind, float).at(float ? -1 : -2)!;
    expect(KINDS.map((k) => [last(k, false).opcode, last(k, false).version])).toEqual([
      ['ADD', 2], ['SUB', 2], ['MUL', 2], ['MAXIMUM', 2], ['MINIMUM', 2],
    ]);
    expect(KINDS.map((k) => last(k, true).version)).toEqual([1, 1, 1, 1, 1]);
    // A float graph has no QUANTIZE / DEQUANTIZE.
    expect(ops('Add', true).map((o) => o.opcode)).toEqual(['REDUCE_MAX', 'ADD']);
  });
});
