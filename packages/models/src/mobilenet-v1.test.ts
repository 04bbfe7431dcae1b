import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOBILENET_V1_BLOCKS, mobilenetV1 } from './mobilenet-v1.js';
import { layerGraph, nextClass, ofClass, paramCounts, predictTwo, prevClass } from './test-utils/graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The parameter count written out from the paper's table, independently of the builder. */
function expectedParams(alpha: number, inChannels: number, classes: number): number {
  const bn = (c: number) => 4 * c; // gamma, beta, moving mean, moving variance
  let c = Math.trunc(32 * alpha);
  let total = 3 * 3 * inChannels * c + bn(c);
  for (const [filters] of MOBILENET_V1_BLOCKS) {
    const out = Math.trunc(filters * alpha);
    total += 3 * 3 * c + bn(c) + c * out + bn(out);
    c = out;
  }
  return total + c * classes + classes;
}

describe('mobilenetV1', () => {
  it("has Keras' parameter count for alpha 1.0, 224×224×3, 1000 classes (build only)", () => {
    const model = mobilenetV1({ alpha: 1, inputShape: [224, 224, 3], classes: 1000 });
    expect(model.name).toBe('mobilenet_1.00_224');
    // Keras: Total params 4,253,864, trainable 4,231,976
    expect(paramCounts(model)).toEqual({ total: 4_253_864, trainable: 4_231_976 });
    expect(expectedParams(1, 3, 1000)).toBe(4_253_864);
    model.dispose();
  });

  it('alpha 0.25 on 32×32×1, 10 classes: the table’s parameter count and a softmax per row', () => {
    const model = mobilenetV1({ alpha: 0.25, inputShape: [32, 32, 1], classes: 10 });
    expect(paramCounts(model).total).toBe(expectedParams(0.25, 1, 10));
    const { shape, rows } = predictTwo(model);
    expect(shape).toEqual([2, 10]);
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('ends at conv_pw_13_relu without the classifier', () => {
    const model = mobilenetV1({ alpha: 0.5, inputShape: [64, 64, 3], includeTop: false });
    expect(model.outputs[0]!.shape).toEqual([null, 2, 2, 512]);
    expect(model.layers.at(-1)!.name).toBe('conv_pw_13_relu');
    model.dispose();
  });

  describe("Keras' layer arrangement (alpha 0.25, 64×64×3)", () => {
    let model: tf.LayersModel;
    let graph: ReturnType<typeof layerGraph>;
    beforeAll(() => {
      model = mobilenetV1({ alpha: 0.25, inputShape: [64, 64, 3], classes: 5 });
      graph = layerGraph(model);
    });
    afterAll(() => model.dispose());

    it('pads (0, 1) before each stride-2 depthwise, which then uses valid padding', () => {
      expect(ofClass(graph, 'ZeroPadding2D').map((l) => l.name)).toEqual(['conv_pad_2', 'conv_pad_4', 'conv_pad_6', 'conv_pad_12']);
      for (const l of ofClass(graph, 'DepthwiseConv2D')) {
        const strided = (l.config['strides'] as number[])[0] === 2;
        expect([l.name, prevClass(graph, l), l.config['padding']]).toEqual(strided ? [l.name, 'ZeroPadding2D', 'valid'] : [l.name, 'ReLU', 'same']);
        if (strided) expect(graph.get(l.inputs[0]!)!.config['padding']).toEqual([[0, 1], [0, 1]]);
      }
    });

    it('follows every convolution but the classifier by bias-free conv → BN → ReLU6', () => {
      const convs = [...ofClass(graph, 'Conv2D'), ...ofClass(graph, 'DepthwiseConv2D')].filter((l) => l.name !== 'conv_preds');
      expect(convs).toHaveLength(1 + 13 + 13);
      for (const l of convs) {
        expect([l.name, nextClass(graph, l), l.config['useBias']]).toEqual([l.name, 'BatchNormalization', false]);
        const bn = graph.get(l.outputs[0]!)!;
        expect([bn.name, nextClass(graph, bn)]).toEqual([`${l.name}_bn`, 'ReLU']);
        expect(graph.get(bn.outputs[0]!)!).toMatchObject({ name: `${l.name}_relu`, config: { maxValue: 6 } });
      }
    });

    it("ends with Keras' 1×1-convolution classifier", () => {
      const tail = model.layers.slice(-6).map((l) => [l.name, l.getClassName()]);
      expect(tail).toEqual([
        ['global_average_pooling2d', 'GlobalAveragePooling2D'],
        ['reshape_1', 'Reshape'],
        ['dropout', 'Dropout'],
        ['conv_preds', 'Conv2D'],
        ['reshape_2', 'Reshape'],
        ['predictions', 'Activation'],
      ]);
      expect(graph.get('conv_preds')!.config).toMatchObject({ useBias: true, kernelSize: [1, 1], filters: 5 });
      expect(graph.get('dropout')!.config['rate']).toBe(1e-3);
      expect(graph.get('predictions')!.config['activation']).toBe('softmax');
    });
  });
});
