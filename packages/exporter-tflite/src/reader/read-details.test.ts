import type { TargetModel } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { readModel } from '../test-utils/paths.js';
import { readTflite } from './read-tflite.js';

const read = (file: string) => readTflite(readModel(file));

describe('readTflite: options, state, signatures and constants of real files', () => {
  it('decodes builtin options with schema names and enum names (MobileNetV2 from PyTorch)', () => {
    const sg = read('mobilenet_v2_quantized_1x3x224x224.tflite').subgraphs[0]!;
    const conv = sg.operators.find((o) => o.opcode === 'CONV_2D')!;
    expect(conv.optionsType).toBe('Conv2DOptions');
    expect(conv.options).toMatchObject({ padding: 'VALID', strideW: 2, strideH: 2, fusedActivationFunction: 'RELU6', dilationWFactor: 1, dilationHFactor: 1 });
    const dw = sg.operators.find((o) => o.opcode === 'DEPTHWISE_CONV_2D')!;
    expect(dw.options).toMatchObject({ depthMultiplier: 1, padding: 'VALID' });
    expect(sg.operators.find((o) => o.opcode === 'MEAN')!.options).toEqual({ keepDims: true });
  });

  it('decodes small constants: the NCHW→NHWC permutation, paddings and biases', () => {
    const sg = read('mobilenet_v2_quantized_1x3x224x224.tflite').subgraphs[0]!;
    const [transpose, pad] = sg.operators;
    expect(transpose!.opcode).toBe('TRANSPOSE');
    expect(sg.tensors[transpose!.inputs[1]!]!.values).toEqual([0, 2, 3, 1]);
    expect(sg.tensors[pad!.inputs[1]!]!.values).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    const bias = sg.tensors[sg.operators[2]!.inputs[2]!]!;
    expect(bias).toMatchObject({ type: 'INT32', hasData: true, dataLength: 4 * bias.shape[0]! });
    expect(bias.values).toHaveLength(bias.shape[0]!);
    // 8-bit weights beyond 256 elements are not decoded (read them from dataOffset)
    const weights = sg.tensors[sg.operators[2]!.inputs[1]!]!;
    expect(weights.values).toBeUndefined();
    expect(weights.dataOffset).toBeGreaterThan(0);
  });

  it('reads an int8 LSTM: 24 inputs with omitted ones, 5 intermediates, variable state, options', () => {
    const sg = read('trained_lstm_int8.tflite').subgraphs[0]!;
    const lstm = sg.operators[0]!;
    expect(lstm.opcode).toBe('UNIDIRECTIONAL_SEQUENCE_LSTM');
    expect(lstm.inputs).toHaveLength(24);
    expect(lstm.inputs.filter((i) => i === -1)).toHaveLength(9);
    expect(lstm.intermediates).toHaveLength(5);
    expect(lstm.options).toMatchObject({ fusedActivationFunction: 'TANH', cellClip: 10, timeMajor: false });
    const state = [lstm.inputs[18]!, lstm.inputs[19]!].map((i) => sg.tensors[i]!);
    expect(state.map((t) => [t.type, t.isVariable, t.hasData])).toEqual([
      ['INT8', true, false],
      ['INT16', true, false],
    ]);
  });

  it('reads shape signatures (a dynamic batch) and leaves them out when absent', () => {
    const float = read('hello_world_float.tflite').subgraphs[0]!;
    expect(float.tensors[float.inputs[0]!]).toMatchObject({ shape: [1, 1], shapeSignature: [-1, 1] });
    const nchw = read('mobilenet_v2_quantized_1x3x224x224.tflite').subgraphs[0]!;
    expect(nchw.tensors[nchw.inputs[0]!]!.shapeSignature).toBeUndefined();
  });

  it('keeps an out-of-range quantized_dimension as stored (targets judge it)', () => {
    const sg = read('person_detect.tflite').subgraphs[0]!;
    const bias = sg.tensors[sg.operators[0]!.inputs[2]!]!;
    expect(bias).toMatchObject({ shape: [8], quantization: { quantizedDimension: 3 } });
  });

  it('reads a custom operator with its options length (Vela output)', () => {
    const op = read('person_detect_vela.tflite').subgraphs[0]!.operators[0]!;
    expect(op).toMatchObject({ opcode: 'CUSTOM', customCode: 'ethos-u', options: {} });
    expect(op.optionsType).toBeUndefined();
  });

  it('returns the shape every target profile checks (core TargetModel)', () => {
    const model: TargetModel = read('keyword_scrambled_8bit.tflite');
    const svdf = model.subgraphs[0]!.operators.find((o) => o.opcode === 'SVDF')!;
    expect(svdf.options).toMatchObject({ rank: 1, fusedActivationFunction: 'RELU' });
  });
});
