import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTflite } from '../reader/read-tflite.js';
import { floatError, int8Agreement, runOnLiteRt } from '../test-utils/compare.js';
import { NetBuilder, type Net } from '../test-utils/net-builder.js';
import { runReference } from '../test-utils/reference.js';
import { exportTflite } from './export-tflite.js';

/** Activation functions on LiteRT, int8 (fixed output grids for LOGISTIC and TANH) and float. */

type Activation = 'Logistic' | 'Tanh' | 'LeakyRelu' | 'Prelu' | 'Elu' | 'HardSwish' | 'Relu' | 'Relu6' | 'Softmax';

function activationNet(kind: Activation, float: boolean): Net {
  const nb = new NetBuilder(kind, float, 7);
  const x = nb.input([2, 3, 3, 4], [-5, 7]);
  const inputs = [x];
  // Keras PReLU: one alpha per channel, broadcast over the spatial dimensions.
  if (kind === 'Prelu') inputs.push(nb.constant('alpha', Float32Array.of(0.25, -0.5, 0.05, 1.5), [1, 1, 4]));
  const attrs = kind === 'LeakyRelu' ? { alpha: 0.2 } : kind === 'Softmax' ? { beta: 1 } : {};
  return nb.build([nb.op(kind, 'act', inputs, attrs as never)]);
}

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

const INT8: Activation[] = ['Logistic', 'Tanh', 'LeakyRelu', 'Prelu', 'Elu', 'HardSwish'];
const FLOAT: Activation[] = [...INT8, 'Relu', 'Relu6', 'Softmax'];

describe('activation functions on LiteRT', () => {
  it.each(INT8)('int8 %s is within one step of the reference', async (kind) => {
    const a = await int8Agreement(rt, activationNet(kind, false));
    expect(a.count).toBe(8 * 2 * 3 * 3 * 4);
    expect(a.withinOne).toBeGreaterThanOrEqual(0.99);
    expect(a.worst).toBeLessThanOrEqual(2);
  });

  it.each(FLOAT)('float %s matches the reference within 1e-5', async (kind) => {
    expect(await floatError(rt, activationNet(kind, true))).toBeLessThan(1e-5);
  });

  it('LOGISTIC and TANH outputs use the spec’s fixed grids; versions follow op_version.cc', () => {
    const sg = (kind: Activation, float = false) => readTflite(exportTflite(activationNet(kind, float).graph)).subgraphs[0]!;
    const op = (kind: Activation) => sg(kind).operators[1]!;
    expect(sg('Logistic').tensors[op('Logistic').outputs[0]!]!.quantization).toMatchObject({ scale: [1 / 256], zeroPoint: [-128] });
    expect(sg('Tanh').tensors[op('Tanh').outputs[0]!]!.quantization).toMatchObject({ scale: [1 / 128], zeroPoint: [0] });
    expect(INT8.map((k) => [op(k).opcode, op(k).version])).toEqual([
      ['LOGISTIC', 2], ['TANH', 2], ['LEAKY_RELU', 1], ['PRELU', 1], ['ELU', 1], ['HARD_SWISH', 1],
    ]);
    expect(sg('Logistic', true).operators.map((o) => [o.opcode, o.version])).toEqual([['LOGISTIC', 1]]);
  });

  it('the comparison is sensitive: PReLU with the alphas of LeakyReLU is far off', async () => {
    const prelu = activationNet('Prelu', true);
    const got = await runOnLiteRt(rt, prelu);
    const leaky = activationNet('LeakyRelu', true);
    const other = runReference(leaky.graph, [leaky.samples[0]!])[0]!;
    const worst = got[0]!.reduce((m, v, i) => Math.max(m, Math.abs(v - other[i]!)), 0);
    expect(worst).toBeGreaterThan(1);
  });
});
