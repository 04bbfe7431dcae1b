import { buildTargetModel as model, constTensor as konst, isQatkitError, modelTensor as act } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { ethosU } from './ethos-u.js';

const npu = ethosU();
const perAxis = (n: number) => ({ scale: Array(n).fill(0.01), zeroPoint: Array(n).fill(0), quantizedDimension: 0 });
const conv = (type: string, stride = 1, biasType = 'INT32') =>
  model([act([1, 8, 8, 4], type), konst([8, 3, 3, 4], 'INT8', { quantization: perAxis(8) }), konst([8], biasType, { values: [1, 2, 3, 4, 5, 6, 7, 8] }), act([1, 8, 8, 8], type)], [['CONV_2D', [0, 1, 2], [3], { strideW: stride, strideH: stride, dilationWFactor: 1, dilationHFactor: 1 }]]);

describe('ethosU()', () => {
  it('runs 8-bit and 16x8 convolutions (int64 bias) on the NPU', () => {
    expect(npu.check(conv('INT8')).ops[0]).toMatchObject({ placement: 'accelerator', status: 'NPU (ethos-u custom operator)' });
    expect(npu.check(conv('INT16', 1, 'INT64')).ops[0]!.placement).toBe('accelerator');
  });

  it('leaves float ops and strides beyond 3 on the Cortex-M', () => {
    expect(npu.check(conv('FLOAT32')).ops[0]!.findings[0]).toMatchObject({ id: 'VELA-QUANTISED', effect: 'cpu' });
    expect(npu.check(conv('INT8', 4)).ops[0]!.findings[0]).toMatchObject({ id: 'VELA-STRIDE', values: 'stride 4×4' });
  });

  it('allows per-axis quantization for convolutions only', () => {
    const fc = model([act([1, 8]), konst([4, 8], 'INT8', { name: 'w', quantization: perAxis(4) }), act([1, 4])], [['FULLY_CONNECTED', [0, 1], [2]]]);
    expect(npu.check(fc).ops[0]!.findings[0]).toMatchObject({ id: 'VELA-PER-AXIS', values: 'per-axis tensor "w" (4 scales)' });
  });

  it('knows the supported transposes and runs its own compiled custom op', () => {
    const t = (perm: number[]) => model([act([1, 3, 8, 8]), konst([4], 'INT32', { values: perm }), act([1, 8, 8, 3])], [['TRANSPOSE', [0, 1], [2]]]);
    expect(npu.check(t([0, 2, 3, 1])).ops[0]!.findings[0]!.values).toBe('permutation [0, 2, 3, 1] of [1, 3, 8, 8]');
    expect(npu.check(t([0, 2, 1, 3])).ops[0]!.placement).toBe('accelerator');
    const compiled = model([act([1, 96, 96, 1]), konst([100], 'UINT8', { quantization: undefined }), act([1, 2])], [['CUSTOM', [0, 1], [2], {}, { customCode: 'ethos-u' }]]);
    expect(npu.check(compiled).summary.verdict).toBe('accelerator');
  });

  it('checks the LSTM form Vela supports', () => {
    const inputs = Array.from({ length: 24 }, (_, k) => (k === 0 ? 0 : k >= 1 && k <= 8 ? 3 : k === 18 ? 1 : k === 19 ? 2 : -1));
    const tensors = [act([1, 28, 28]), act([1, 20], 'INT8', { isVariable: true }), act([1, 20], 'INT16', { isVariable: true }), konst([20, 20]), act([1, 28, 20])];
    const lstm = (intermediates: number[]) => model(tensors, [['UNIDIRECTIONAL_SEQUENCE_LSTM', inputs, [4], {}, { intermediates }]]);
    expect(npu.check(lstm([0, 0, 0, 0, 0])).ops[0]!.placement).toBe('accelerator');
    expect(npu.check(lstm([])).ops[0]!.findings[0]).toMatchObject({ id: 'VELA-LSTM', values: '0 intermediates' });
  });

  it('takes a Vela accelerator config and asks for batch 1, int8/uint8 I/O', () => {
    expect(ethosU({ accelerator: 'ethos-u65-256' }).title).toBe('Arm Ethos-U65 (256 MACs/cycle) (Vela 3.10)');
    expect(npu.requirements).toMatchObject({ perAxisWeights: true, io: ['int8', 'uint8'], batch: 1, activationBits: [8, 16] });
    try {
      ethosU({ accelerator: 'ethos-u85-256' });
      expect.unreachable();
    } catch (e) {
      expect(isQatkitError(e, 'INVALID_OPTION')).toBe(true);
    }
  });
});
