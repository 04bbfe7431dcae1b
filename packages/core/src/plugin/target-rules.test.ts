import { describe, expect, it } from 'vitest';
import { act, konst, model } from '../test-utils/target-model.js';
import { estimateMacs } from './target-macs.js';
import { opContext } from './target-model.js';
import { activations, effectiveRank, fusedActivation, quantizationRefusal, tensorText } from './target-rules.js';

const perAxis = (n: number, dim: number) => ({ scale: Array(n).fill(0.1), zeroPoint: Array(n).fill(0), quantizedDimension: dim });

describe('rule helpers', () => {
  it('finds the tensor TFLite refuses: quantized_dimension outside the rank, or a scale count off the dimension', () => {
    const bias = konst([8], 'INT32', { name: 'bias', quantization: perAxis(8, 3) });
    const m = model([act([1, 4, 4, 8]), konst([1, 3, 3, 8], 'INT8', { quantization: perAxis(8, 3) }), bias, act([1, 4, 4, 8])], [['DEPTHWISE_CONV_2D', [0, 1, 2], [3]]]);
    expect(quantizationRefusal(opContext(m, 0, 0))).toBe('tensor "bias" INT32 [8] has quantized_dimension 3, outside [0, 1)');
    const counts = model([act([1, 4]), konst([3, 4], 'INT8', { name: 'w', quantization: perAxis(4, 0) }), act([1, 3])], [['FULLY_CONNECTED', [0, 1], [2]]]);
    expect(quantizationRefusal(opContext(counts, 0, 0))).toBe('tensor "w" INT8 [3, 4] has 4 scales along dimension 0 of size 3');
    const fine = model([act([1, 4]), konst([3, 4], 'INT8', { quantization: perAxis(3, 0) }), act([1, 3])], [['FULLY_CONNECTED', [0, 1], [2]]]);
    expect(quantizationRefusal(opContext(fine, 0, 0))).toBeUndefined();
  });

  it('names activations, fused activations and effective ranks', () => {
    const m = model([act([1, 8]), konst([4, 8]), act([1, 4], 'INT8', { name: 'state', isVariable: true }), act([1, 4])], [['FULLY_CONNECTED', [0, 1, -1, 2], [3], { fusedActivationFunction: 'RELU6' }]]);
    const c = opContext(m, 0, 0);
    expect(activations(c).map((t) => t.name)).toEqual(['t1x8', 'state', 't1x4']);
    expect(activations(c, false)).toHaveLength(2);
    expect(fusedActivation(c)).toBe('RELU6');
    expect(effectiveRank([1, 1, 16])).toBe(1);
    expect(tensorText(act([1, 2], 'INT16'))).toBe('INT16 [1, 2]');
  });

  it('counts MACs of convolutions, fully-connected layers and LSTMs from shapes', () => {
    const conv = model([act([1, 8, 8, 3]), konst([16, 3, 3, 3]), konst([16], 'INT32'), act([1, 4, 4, 16])], [['CONV_2D', [0, 1, 2], [3]]]);
    expect(estimateMacs(opContext(conv, 0, 0))).toBe(4 * 4 * 16 * 27);
    const dw = model([act([1, 8, 8, 16]), konst([1, 3, 3, 16]), act([1, 8, 8, 16])], [['DEPTHWISE_CONV_2D', [0, 1], [2]]]);
    expect(estimateMacs(opContext(dw, 0, 0))).toBe(8 * 8 * 16 * 9);
    const lstm = model([act([1, 28, 28]), act([1, 28, 20])], [['UNIDIRECTIONAL_SEQUENCE_LSTM', [0], [1]]]);
    expect(estimateMacs(opContext(lstm, 0, 0))).toBe(28 * 4 * 20 * 48);
    expect(estimateMacs(opContext(model([act([1, 4]), act([1, 4])], [['RELU', [0], [1]]]), 0, 0))).toBe(0);
  });
});
