import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDivisible, mobilenetV2 } from './mobilenet-v2.js';
import { layerGraph, nextClass, ofClass, paramCounts, predictTwo, prevClass } from './test-utils/graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function withModel<R>(model: tf.LayersModel, fn: (model: tf.LayersModel) => R): R {
  try {
    return fn(model);
  } finally {
    model.dispose();
  }
}

describe('makeDivisible', () => {
  it('rounds to the nearest multiple, at least the divisor, never 10% below', () => {
    expect(makeDivisible(32, 8)).toBe(32);
    expect(makeDivisible(32 * 0.35, 8)).toBe(16); // 11.2 → 8 is > 10% below → 16
    expect(makeDivisible(Math.trunc(16 * 0.35), 8)).toBe(8); // 5 → the minimum
    expect(makeDivisible(Math.trunc(64 * 0.35), 8)).toBe(24); // 22 → 24
    expect(makeDivisible(Math.trunc(24 * 0.75), 8)).toBe(24); // 18 → 16 is > 10% below → 24
    expect(makeDivisible(1280 * 1.4, 8)).toBe(1792);
  });
});

describe('mobilenetV2', () => {
  it("has Keras' parameter count for alpha 1.0, 224×224×3, 1000 classes (build only)", () => {
    withModel(mobilenetV2({ alpha: 1, inputShape: [224, 224, 3], classes: 1000 }), (model) => {
      expect(model.name).toBe('mobilenetv2_1.00_224');
      // Keras: Total params 3,538,984, trainable 3,504,872 (the rest: BN moving mean/variance)
      expect(paramCounts(model)).toEqual({ total: 3_538_984, trainable: 3_504_872 });
      expect(model.outputs[0]!.shape).toEqual([null, 1000]);
    });
  });

  it('alpha 0.35, 96×96×3, 10 classes: Keras’ 410,208 params without the top, and a softmax per row', () => {
    withModel(mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10 }), (model) => {
      // Keras MobileNetV2(alpha=0.35, include_top=False) has 410,208; Dense 1280 → 10 adds 12,810
      expect(paramCounts(model).total).toBe(410_208 + 1280 * 10 + 10);
      const { shape, rows } = predictTwo(model);
      expect(shape).toEqual([2, 10]);
      for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  });

  it('takes one input channel (96×96×1) and drops the classifier on request', () => {
    withModel(mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 1], classes: 10 }), (model) => {
      expect(paramCounts(model).total).toBe(410_208 + 1280 * 10 + 10 - 3 * 3 * 2 * 16);
      expect(predictTwo(model).shape).toEqual([2, 10]);
    });
    withModel(mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], includeTop: false }), (model) => {
      expect(model.outputs[0]!.shape).toEqual([null, 3, 3, 1280]);
      expect(model.layers.at(-1)!.name).toBe('out_relu');
    });
  });

  it("uses makeDivisible(1280·alpha) last channels when alpha > 1, as Keras", () => {
    withModel(mobilenetV2({ alpha: 1.4, inputShape: [32, 32, 3], includeTop: false }), (model) => {
      expect(model.getLayer('Conv_1').getConfig()['filters']).toBe(1792);
      expect(model.getLayer('Conv1').getConfig()['filters']).toBe(48);
    });
  });

  describe("Keras' layer arrangement (alpha 0.35, 96×96×3)", () => {
    let model: tf.LayersModel;
    let graph: ReturnType<typeof layerGraph>;
    beforeAll(() => {
      model = mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10 });
      graph = layerGraph(model);
    });
    afterAll(() => model.dispose());

    it('has 17 blocks: 35 Conv2D, 17 DepthwiseConv2D, 52 BatchNormalization, 35 ReLU6', () => {
      expect(ofClass(graph, 'Conv2D')).toHaveLength(1 + 16 + 17 + 1);
      expect(ofClass(graph, 'DepthwiseConv2D')).toHaveLength(17);
      expect(ofClass(graph, 'BatchNormalization')).toHaveLength(52);
      const relus = ofClass(graph, 'ReLU');
      expect(relus).toHaveLength(35);
      expect(relus.every((l) => l.config['maxValue'] === 6)).toBe(true);
    });

    it('names layers as Keras does', () => {
      for (const name of ['input_1', 'Conv1', 'bn_Conv1', 'Conv1_relu', 'expanded_conv_depthwise', 'expanded_conv_project_BN',
        'block_1_expand', 'block_1_expand_BN', 'block_1_pad', 'block_3_depthwise', 'block_3_depthwise_relu', 'block_3_project_BN',
        'block_16_project', 'Conv_1', 'Conv_1_bn', 'out_relu', 'global_average_pooling2d', 'predictions']) {
        expect(graph.has(name), name).toBe(true);
      }
    });

    it('puts a ZeroPadding2D before every stride-2 depthwise (valid padding), and none before stride 1', () => {
      const depthwise = ofClass(graph, 'DepthwiseConv2D');
      const strided = depthwise.filter((l) => (l.config['strides'] as number[])[0] === 2);
      expect(strided.map((l) => l.name)).toEqual(['block_1_depthwise', 'block_3_depthwise', 'block_6_depthwise', 'block_13_depthwise']);
      for (const l of strided) {
        expect(prevClass(graph, l)).toBe('ZeroPadding2D');
        expect(l.config['padding']).toBe('valid');
        expect(graph.get(l.inputs[0]!)!.config['padding']).toEqual([[0, 1], [0, 1]]);
      }
      for (const l of depthwise.filter((d) => !strided.includes(d))) {
        expect([prevClass(graph, l), l.config['padding']]).toEqual(['ReLU', 'same']);
      }
      expect(ofClass(graph, 'ZeroPadding2D')).toHaveLength(4);
    });

    it('follows every convolution by batch norm, and gives those convolutions no bias', () => {
      for (const l of [...ofClass(graph, 'Conv2D'), ...ofClass(graph, 'DepthwiseConv2D')]) {
        expect([l.name, nextClass(graph, l), l.config['useBias']]).toEqual([l.name, 'BatchNormalization', false]);
      }
      for (const l of ofClass(graph, 'BatchNormalization')) {
        expect(l.config).toMatchObject({ momentum: 0.999, epsilon: 1e-3 });
        if (!l.name.endsWith('project_BN')) expect(nextClass(graph, l), l.name).toBe('ReLU');
      }
    });

    it('adds the residual in the 10 stride-1 blocks whose channels do not change', () => {
      const adds = ofClass(graph, 'Add');
      expect(adds.map((l) => l.name)).toEqual([2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map((i) => `block_${i}_add`));
      for (const add of adds) {
        const [skip, branch] = add.inputs.map((n) => model.getLayer(n).outputShape);
        expect(skip).toEqual(branch);
        expect(add.inputs[1]).toMatch(/_project_BN$/);
      }
    });

    it('pads odd sides (1, 1) like Keras’ correct_pad', () => {
      withModel(mobilenetV2({ alpha: 0.35, inputShape: [33, 33, 3], includeTop: false }), (odd) => {
        // 33 → Conv1 (same, /2) → 17: odd
        expect(odd.getLayer('block_1_pad').getConfig()['padding']).toEqual([[1, 1], [1, 1]]);
      });
    });
  });
});
