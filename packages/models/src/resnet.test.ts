import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resnet } from './resnet.js';
import { layerGraph, nextClass, ofClass, paramCounts, predictTwo } from './test-utils/graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resnet', () => {
  it('ResNet-20 on 32×32×3, 10 classes: 274,042 parameters (272,474 trainable)', () => {
    // stem 3·3·3·16 + BN 4·16                                   =     496
    // stage 1: 3 × (2 · 3·3·16·16 + 2 · 4·16)                    =  14,208
    // stage 2: 3·3·16·32 + 3·3·32·32 + 2·4·32 (first block)
    //          + projection 16·32 + 4·32, + 2 × (2·3·3·32·32 + 2·4·32) =  52,096
    // stage 3: the same with 32 → 64                             = 206,592
    // Dense 64·10 + 10                                           =     650
    // He et al.'s "0.27M" counts the convolution and dense weights with zero-padding shortcuts
    // (268,346); the projections add 2,560 and BN 3,136 (half of it moving statistics).
    const model = resnet({ depth: 20, inputShape: [32, 32, 3], classes: 10 });
    expect(model.name).toBe('resnet20');
    expect(paramCounts(model)).toEqual({ total: 274_042, trainable: 272_474 });
    const { shape, rows } = predictTwo(model);
    expect(shape).toEqual([2, 10]);
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('ResNet-20 on 28×28×1 (Fashion-MNIST)', () => {
    const model = resnet({ depth: 20, inputShape: [28, 28, 1], classes: 10 });
    expect(paramCounts(model).total).toBe(274_042 - 3 * 3 * 2 * 16);
    const { shape, rows } = predictTwo(model);
    expect(shape).toEqual([2, 10]);
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('ResNet-18 with the 3×3 stem: the usual CIFAR figure of 11,173,962 trainable parameters (build only)', () => {
    const model = resnet({ depth: 18, inputShape: [32, 32, 3], classes: 10 });
    expect(paramCounts(model)).toEqual({ total: 11_183_562, trainable: 11_173_962 });
    expect(model.getLayer('conv5_block2_out').outputShape).toEqual([null, 4, 4, 512]);
    model.dispose();
  });

  it('scales channels by width and ends at the last block without the classifier', () => {
    const model = resnet({ depth: 20, inputShape: [32, 32, 3], width: 0.5, includeTop: false });
    expect(model.outputs[0]!.shape).toEqual([null, 8, 8, 32]);
    expect(model.getLayer('conv1_conv').getConfig()['filters']).toBe(8);
    expect(model.layers.at(-1)!.name).toBe('conv4_block3_out');
    model.dispose();
  });

  it('builds the deeper CIFAR ResNets: 6n + 2 layers, n blocks per stage', () => {
    const model = resnet({ depth: 56, inputShape: [32, 32, 3], classes: 10 });
    expect(ofClass(layerGraph(model), 'Add')).toHaveLength(27);
    expect(ofClass(layerGraph(model), 'Conv2D')).toHaveLength(1 + 54 + 2);
    model.dispose();
  });

  describe.each([
    [20, [32, 32, 3], 9, ['conv3_block1_0_conv', 'conv4_block1_0_conv']],
    [18, [32, 32, 3], 8, ['conv3_block1_0_conv', 'conv4_block1_0_conv', 'conv5_block1_0_conv']],
  ] as const)('layer arrangement of ResNet-%i', (depth, inputShape, addCount, projections) => {
    let model: tf.LayersModel;
    let graph: ReturnType<typeof layerGraph>;
    beforeAll(() => {
      model = resnet({ depth, inputShape, classes: 10, width: depth === 18 ? 0.25 : 1 });
      graph = layerGraph(model);
    });
    afterAll(() => model.dispose());

    it('follows every convolution by BN, without bias', () => {
      for (const l of ofClass(graph, 'Conv2D')) {
        expect([l.name, nextClass(graph, l), l.config['useBias']]).toEqual([l.name, 'BatchNormalization', false]);
      }
    });

    it('adds a residual per basic block, through a 1×1 conv + BN projection where the shape changes', () => {
      const adds = ofClass(graph, 'Add');
      expect(adds).toHaveLength(addCount);
      const shortcuts = ofClass(graph, 'Conv2D').filter((l) => (l.config['kernelSize'] as number[])[0] === 1);
      expect(shortcuts.map((l) => l.name)).toEqual(projections);
      for (const l of shortcuts) expect(l.config['strides']).toEqual([2, 2]);
      for (const add of adds) {
        const [skip, branch] = add.inputs.map((n) => model.getLayer(n).outputShape);
        expect(skip).toEqual(branch);
        expect(add.inputs[1]).toMatch(/_2_bn$/);
        expect(nextClass(graph, add)).toBe('ReLU');
      }
    });
  });
});
