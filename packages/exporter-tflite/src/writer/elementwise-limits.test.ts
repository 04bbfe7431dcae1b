import { activationQuantization, QatkitError, type OpKind } from '@qatkit/core';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { int8Agreement } from '../test-utils/compare.js';
import { ACT, NetBuilder, type Net } from '../test-utils/net-builder.js';
import { exportTflite } from './export-tflite.js';
import { wrapIo } from './wrap-io.js';
import { writeModel } from './write-model.js';

/**
 * Each limit of elementwise-limits.ts (and the transposed conv's XNNPACK ratio) on LiteRT: just
 * inside it the model runs and agrees with the reference; just beyond it exportTflite refuses the
 * graph, and the same graph written past the checks indeed fails or computes wrong values.
 */

/** x in ±inRange through `kind` (second operand: x transposed) to an output of ±outRange. */
function net(kind: OpKind, inRange: number, outRange: number): Net {
  const nb = new NetBuilder(`${kind}_limit`, false, 5);
  const x = nb.input([1, 4, 4, 3], [-inRange, inRange]);
  const output = activationQuantization(-outRange, outRange, ACT);
  if (kind === 'HardSwish') return nb.build([nb.op('HardSwish', 'op', [x], {}, { output })]);
  if (kind === 'TransposeConv2D') {
    const w = nb.weights('op', [3, 3, 3, 3], 0, 27);
    const attrs = { strides: [2, 2], padding: 'same', activation: 'none' } as const;
    return nb.build([nb.op('TransposeConv2D', 'op', [x, w, nb.bias('op', 3, x, w)], { ...attrs, strides: [2, 2] }, { output, shape: [1, 8, 8, 3] })]);
  }
  const y = nb.op('Transpose', 't', [x], { perm: [0, 2, 1, 3] });
  return nb.build([nb.op(kind as 'Add', 'op', [x, y], { activation: 'none' }, { output })]);
}

function refusal(n: Net): QatkitError {
  try {
    exportTflite(n.graph);
  } catch (e) {
    if (e instanceof QatkitError) return e;
    throw e;
  }
  throw new Error('exportTflite accepted the graph');
}

/** The bytes exportTflite would write, without its checks. */
const unchecked = (n: Net) => writeModel(wrapIo(n.graph, 'float32'), 'unchecked');

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

describe('elementwise limits, verified on LiteRT', () => {
  it('SUB: below 2^19 input/output scale it agrees; beyond, LiteRT returns wrong values and exportTflite refuses', async () => {
    expect((await int8Agreement(rt, net('Sub', 1000, 0.003))).withinOne).toBeGreaterThanOrEqual(0.99);
    const beyond = net('Sub', 1000, 0.0019);
    expect((await int8Agreement(rt, beyond, unchecked(beyond))).withinOne).toBeLessThan(0.5);
    const e = refusal(beyond);
    expect(e.code).toBe('INVALID_RANGE');
    expect(e.message).toMatch(/^op "op" \(Sub\): input scale \/ output scale = .* = 5\.26\de\+5 is ≥ 2\^19, where TFLite's int8 SUB returns wrong values; the output range of "op"/);
  });

  it('MUL: a product ratio whose shift overflows int32 gives wrong values on LiteRT and is refused', async () => {
    // Inputs ±10 (zero point 0): |q1 q2| ≤ 2^14, so a left shift up to 16 fits.
    expect((await int8Agreement(rt, net('Mul', 10, 2.5e-5))).withinOne).toBeGreaterThanOrEqual(0.99);
    const beyond = net('Mul', 10, 5e-6);
    expect((await int8Agreement(rt, beyond, unchecked(beyond))).withinOne).toBeLessThan(0.9);
    expect(refusal(beyond).message).toMatch(/^op "op" \(Mul\): input1 scale × input2 scale \/ output scale = 1\.56\de\+5 overflows the int32 intermediate of TFLite's int8 MUL/);
  });

  it('HARD_SWISH: input/output scale must stay below 128', async () => {
    expect((await int8Agreement(rt, net('HardSwish', 2, 0.0157))).withinOne).toBeGreaterThanOrEqual(0.99);
    const beyond = net('HardSwish', 2, 0.015);
    await expect(rt.compile(unchecked(beyond))).rejects.toThrow(/output_multiplier_exponent <= 0/);
    expect(refusal(beyond).message).toMatch(/^op "op" \(HardSwish\): input scale \/ output scale = 133\.\d must be below 128/);
  });

  it('TRANSPOSE_CONV: XNNPACK refuses a requantization ratio ≥ 256, like CONV_2D', async () => {
    expect((await int8Agreement(rt, net('TransposeConv2D', 10, 0.001))).withinOne).toBeGreaterThanOrEqual(0.99);
    const beyond = net('TransposeConv2D', 10, 0.0001);
    await expect(rt.compile(unchecked(beyond))).rejects.toThrow(/XNNPACK/);
    expect(refusal(beyond).message).toMatch(/^op "op" \(TransposeConv2D\): requantization ratio .* is ≥ 256, which XNNPACK refuses/);
  });

  // Last: the abort takes LiteRT's wasm instance down with it.
  it('ADD: beyond 2^19 input/output scale LiteRT aborts; just below it agrees', async () => {
    expect((await int8Agreement(rt, net('Add', 1000, 0.003))).withinOne).toBeGreaterThanOrEqual(0.99);
    const beyond = net('Add', 1000, 0.0019);
    expect(refusal(beyond).message).toMatch(/^op "op" \(Add\): input scale \/ output scale = .* is ≥ 2\^19, where TFLite's int8 ADD aborts/);
    await expect(rt.compile(unchecked(beyond))).rejects.toThrow(/Aborted/);
  });
});
