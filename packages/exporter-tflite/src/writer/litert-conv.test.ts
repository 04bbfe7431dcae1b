import type { FusedActivation, Padding } from '@qatkit/core';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTflite } from '../reader/read-tflite.js';
import { allOpsNet, buildNet, smallCnn } from '../test-utils/build-net.js';
import { floatError, int8Agreement, runOnLiteRt } from '../test-utils/compare.js';
import { NetBuilder, type Net } from '../test-utils/net-builder.js';
import { exportTflite } from './export-tflite.js';

/** Transposed convolution and rank-3 fully-connected on LiteRT; float exports of the conv-net ops. */

interface DeconvCase {
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly out: [number, number];
  readonly bias: boolean;
  readonly activation: FusedActivation;
}

const DECONV: Record<string, DeconvCase> = {
  'stride 2, same, bias': { strides: [2, 2], padding: 'same', out: [8, 10], bias: true, activation: 'none' },
  'stride 2, valid, no bias, relu': { strides: [2, 2], padding: 'valid', out: [9, 11], bias: false, activation: 'relu' },
  'stride 2×1, valid + output padding, relu6': { strides: [2, 1], padding: 'valid', out: [10, 7], bias: true, activation: 'relu6' },
};

function deconvNet(c: DeconvCase, float: boolean): Net {
  const nb = new NetBuilder('deconv', float, 17);
  const x = nb.input([1, 4, 5, 3]);
  const w = nb.weights('deconv', [6, 3, 3, 3], 0, 27);
  const inputs = c.bias ? [x, w, nb.bias('deconv', 6, x, w)] : [x, w];
  const attrs = { strides: c.strides, padding: c.padding, activation: c.activation };
  return nb.build([nb.op('TransposeConv2D', 'deconv', inputs, attrs, { shape: [1, c.out[0], c.out[1], 6] })]);
}

/** A Dense layer on a sequence ([batch, steps, features]), as Keras applies it to rank-3 inputs. */
function sequenceDense(float: boolean, bias = true): Net {
  const nb = new NetBuilder('dense3d', float, 19);
  const x = nb.input([2, 5, 6]);
  const w = nb.weights('dense', [4, 6], 0, 6);
  const inputs = bias ? [x, w, nb.bias('dense', 4, x, w)] : [x, w];
  return nb.build([nb.op('FullyConnected', 'dense', inputs, { activation: 'relu', keepNumDims: true })]);
}

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

describe('TRANSPOSE_CONV on LiteRT', () => {
  it.each(Object.keys(DECONV))('int8 %s is within one step of the reference', async (name) => {
    const a = await int8Agreement(rt, deconvNet(DECONV[name]!, false));
    expect(a.withinOne).toBeGreaterThanOrEqual(0.99);
    expect(a.worst).toBeLessThanOrEqual(2);
  });

  it.each(Object.keys(DECONV))('float %s matches the reference within 1e-5', async (name) => {
    expect(await floatError(rt, deconvNet(DECONV[name]!, true))).toBeLessThan(1e-5);
  });

  it('writes TFLite’s input order [output_shape, weights, input, bias] and op_version.cc’s versions', () => {
    const sg = readTflite(exportTflite(deconvNet(DECONV['stride 2, same, bias']!, false).graph, { io: 'int8' })).subgraphs[0]!;
    const op = sg.operators[0]!;
    expect(op.inputs.map((i) => [sg.tensors[i]!.name, sg.tensors[i]!.type])).toEqual([
      ['deconv/output_shape', 'INT32'], ['deconv/weights', 'INT8'], ['input', 'INT8'], ['deconv/bias', 'INT32'],
    ]);
    expect(sg.tensors[op.inputs[1]!]!.quantization!.quantizedDimension).toBe(0);
    const version = (name: string, float: boolean) => readTflite(exportTflite(deconvNet(DECONV[name]!, float).graph)).subgraphs[0]!.operators.find((o) => o.opcode === 'TRANSPOSE_CONV')!.version;
    expect(version('stride 2, same, bias', false)).toBe(3);
    expect(version('stride 2, valid, no bias, relu', false)).toBe(4);
    expect(version('stride 2, same, bias', true)).toBe(3);
  });
});

describe('FULLY_CONNECTED with keepNumDims on LiteRT', () => {
  it('int8 [2, 5, 6] → [2, 5, 4] is within one step of the reference', async () => {
    const a = await int8Agreement(rt, sequenceDense(false));
    expect(a.count).toBe(8 * 2 * 5 * 4);
    expect(a.withinOne).toBeGreaterThanOrEqual(0.99);
  });

  it('float, with and without bias, matches the reference within 1e-5', async () => {
    expect(await floatError(rt, sequenceDense(true))).toBeLessThan(1e-5);
    expect(await floatError(rt, sequenceDense(true, false))).toBeLessThan(1e-5);
  });

  it('sets keep_num_dims (version 5; no bias: 6)', () => {
    const op = (net: Net) => readTflite(exportTflite(net.graph, { io: 'int8' })).subgraphs[0]!.operators[0]!;
    expect(op(sequenceDense(false)).version).toBe(5);
    expect(op(sequenceDense(false, false)).version).toBe(6);
  });
});

describe('float exports of the conv-net ops on LiteRT', () => {
  const floatAllOps = () => {
    const int8 = allOpsNet(3).graph;
    return buildNet('all_ops_float', [...int8.tensors[int8.inputs[0]!]!.shape], [
      { kind: 'conv', filters: 3, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu6' },
      { kind: 'depthwise', multiplier: 2, kernel: [3, 3], padding: 'valid', activation: 'relu' },
      { kind: 'maxpool', size: [2, 2], strides: [1, 1] },
      { kind: 'avgpool', size: [2, 2], strides: [1, 1], padding: 'same' },
      { kind: 'flatten' },
      { kind: 'dense', units: 5 },
      { kind: 'softmax' },
    ], 3, 8, true);
  };

  it('conv, depthwise, pools, reshape, dense and softmax match the reference within 1e-5', async () => {
    expect(await floatError(rt, floatAllOps())).toBeLessThan(1e-5);
  });

  it('is a plain float32 file: no quantization anywhere, float op versions', () => {
    const sg = readTflite(exportTflite(floatAllOps().graph)).subgraphs[0]!;
    expect(sg.operators.map((o) => [o.opcode, o.version])).toEqual([
      ['CONV_2D', 1], ['DEPTHWISE_CONV_2D', 1], ['MAX_POOL_2D', 1], ['AVERAGE_POOL_2D', 1], ['RESHAPE', 1], ['FULLY_CONNECTED', 1], ['SOFTMAX', 1],
    ]);
    expect(new Set(sg.tensors.map((t) => t.type))).toEqual(new Set(['FLOAT32', 'INT32']));
    expect(sg.tensors.filter((t) => t.type === 'INT32').map((t) => t.name)).toEqual(['flatten_4/shape']);
    expect(sg.tensors.every((t) => t.quantization === undefined)).toBe(true);
  });

  it('the int8 and float exports of one architecture agree to a few output steps', async () => {
    const int8 = smallCnn(4);
    const float = buildNet('small_cnn_float', [1, 8, 8, 3], [
      { kind: 'conv', filters: 4, kernel: [3, 3], activation: 'relu' },
      { kind: 'maxpool', size: [2, 2], strides: [2, 2] },
      { kind: 'flatten' },
      { kind: 'dense', units: 10 },
      { kind: 'softmax' },
    ], 4, 8, true);
    const [a, b] = [await runOnLiteRt(rt, int8), await runOnLiteRt(rt, float)];
    let worst = 0;
    a.forEach((out, i) => out.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - b[i]![k]!)))));
    expect(worst).toBeLessThan(4 / 256);
    expect(worst).toBeGreaterThan(0);
  });
});
