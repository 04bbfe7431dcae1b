import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionCnn, floatWeightBytes } from './fashion-cnn.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fashionCnn', () => {
  it('is the demo CNN: conv + BatchNorm blocks, logits, seeded', () => {
    const a = fashionCnn({ seed: 3 });
    const b = fashionCnn({ seed: 3 });
    expect(a.layers.map((l) => l.getClassName())).toEqual([
      'Conv2D', 'BatchNormalization', 'ReLU', 'MaxPooling2D', 'Conv2D', 'BatchNormalization', 'ReLU', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout', 'Dense',
    ]);
    expect(a.outputs[0]!.shape).toEqual([null, 10]);
    expect(Array.from(a.getWeights()[0]!.dataSync())).toEqual(Array.from(b.getWeights()[0]!.dataSync()));
    expect(floatWeightBytes(a)).toBe(a.countParams() * 4);
    expect(() => fashionCnn({ seed: 1.5 })).toThrow(/fashionCnn: seed must be an integer/);
  });
});
