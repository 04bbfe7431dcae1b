import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { default8bit } from '@qatkit/scheme-8bit';
import { walkModel } from '../graph/walk.js';
import { makePlan } from './make-plan.js';
import type { Plan } from './types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

function planOf(shape: number[], body: (x: Sym) => Sym): Plan {
  const x = tf.input({ shape, name: 'x' });
  return makePlan(walkModel(tf.model({ inputs: x, outputs: body(x), name: 'm' })), { scheme: default8bit() });
}

const brief = (plan: Plan) => plan.nodes.map((n) => `${n.op}(${n.inputs.join(',')})→${n.id}`);

describe('lowered layers in the plan', () => {
  it('splits SeparableConv2D into a bias-free depthwise op, a fake-quant, and a 1×1 conv that takes the bias and the ReLU', () => {
    const plan = planOf([6, 6, 3], (x) => L.reLU({ name: 'r' }).apply(L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, name: 'sep' }).apply(x) as Sym) as Sym);
    expect(brief(plan)).toEqual(['DepthwiseConv2D(x)→sep_depthwise', 'Conv2D(sep_depthwise)→r']);
    const [dw, pw] = plan.nodes;
    expect(dw).toMatchObject({ shape: [null, 4, 4, 6], weightsFrom: { layer: 'sep', kernel: 'depthwise_kernel' }, config: { useBias: false, depthMultiplier: 2 }, output: { kind: 'learned' } });
    expect(pw).toMatchObject({ activation: 'relu', layers: ['sep', 'r'], weightsFrom: { layer: 'sep', kernel: 'pointwise_kernel', bias: 'bias' }, config: { kernelSize: [1, 1] } });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('runs Conv1D as a 1×k Conv2D between reshapes, its kernel reshaped and a BatchNorm folded', () => {
    const plan = planOf([10, 3], (x) => L.batchNormalization({ name: 'bn' }).apply(L.conv1d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', name: 'c' }).apply(x) as Sym) as Sym);
    expect(brief(plan)).toEqual(['Reshape(x)→c_expanded', 'Conv2D(c_expanded)→bn_2d', 'Reshape(bn_2d)→bn']);
    expect(plan.nodes[1]).toMatchObject({ shape: [null, 1, 5, 5], config: { kernelSize: [1, 3], strides: [1, 2] }, weightsFrom: { kernelShape: [1, 3, 3, 5] }, batchNorm: { layer: 'bn' } });
    expect(plan.nodes[2]!.shape).toEqual([null, 5, 5]);
  });

  it('lowers a standalone BatchNorm to MUL and ADD with per-channel constants, and Average to ADDs then MUL by 1/n', () => {
    const plan = planOf([4, 4, 2], (x) => {
      const b = L.batchNormalization({ name: 'bn' }).apply(x) as Sym;
      return L.average({ name: 'avg' }).apply([b, x, b]) as Sym;
    });
    expect(brief(plan)).toEqual(['Mul(x)→bn_scaled', 'Add(bn_scaled)→bn', 'Add(bn,x)→avg_sum1', 'Add(avg_sum1,bn)→avg_sum2', 'Mul(avg_sum2)→avg']);
    expect(plan.nodes[0]!.constant).toMatchObject({ kind: 'batch-norm-scale', trainable: true, quantizer: { bits: 8, symmetric: false } });
    expect(plan.nodes[4]!.constant).toMatchObject({ kind: 'values', values: [1 / 3], shape: [1], trainable: false });
  });

  it('lowers swish (own or an Activation layer) to LOGISTIC on its fixed grid then MUL by the input', () => {
    const plan = planOf([4], (x) => L.activation({ activation: 'swish', name: 'a' }).apply(L.dense({ units: 3, activation: 'swish', name: 'd' }).apply(x) as Sym) as Sym);
    expect(brief(plan)).toEqual(['FullyConnected(x)→d', 'Logistic(d)→d_swish_sigmoid', 'Mul(d,d_swish_sigmoid)→d_swish', 'Logistic(d_swish)→a_sigmoid', 'Mul(d_swish,a_sigmoid)→a']);
    expect(plan.nodes[1]!.output).toMatchObject({ kind: 'fixed', scale: 1 / 256, zeroPoint: -128 });
  });

  it('lowers RepeatVector to RESHAPE and a same-scale CONCATENATION, PReLU to PRELU with its alpha as a constant', () => {
    const plan = planOf([3], (x) => L.prelu({ name: 'p' }).apply(L.repeatVector({ n: 2, name: 'rep' }).apply(x) as Sym) as Sym);
    expect(brief(plan)).toEqual(['Reshape(x)→rep_row', 'Concatenation(rep_row,rep_row)→rep', 'Prelu(rep)→p']);
    expect(plan.nodes[1]!.output).toEqual({ kind: 'same-as-input', requantize: false });
    expect(plan.nodes[2]!.constant).toMatchObject({ kind: 'weight', layer: 'p', weight: 'alpha', trainable: true });
  });

  it('refuses a dilated DepthwiseConv2D layer, whose dilation tfjs ignores', () => {
    expect(() => planOf([8, 8, 2], (x) => L.depthwiseConv2d({ kernelSize: 3, dilationRate: 2, padding: 'same', name: 'dw' }).apply(x) as Sym)).toThrow(/"dw" \(class DepthwiseConv2D\) has dilationRate \[2,2\], which tfjs's DepthwiseConv2D ignores/);
  });
});
