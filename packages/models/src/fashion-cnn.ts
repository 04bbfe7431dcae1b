import * as tf from '@tensorflow/tfjs';
import { checkCommon, DEFAULT_SEED } from './options.js';

export interface FashionCnnOptions {
  /** Seeds every initializer and the dropout (default 1). */
  readonly seed?: number;
}

/**
 * The CNN of `qatkit demo` and the playground, for 28×28 grayscale images (Fashion-MNIST): two
 * conv + BatchNorm blocks and a small classifier ending in logits (~106k parameters). BatchNorm
 * momentum is 0.9 so the moving statistics settle within a demo's few hundred steps.
 */
export function fashionCnn(options: FashionCnnOptions = {}): tf.LayersModel {
  const { seed } = checkCommon('fashionCnn', { inputShape: [28, 28, 1], seed: options.seed ?? DEFAULT_SEED }, () => 'fashion_cnn');
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
  return tf.sequential({
    name: 'fashion_cnn',
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(1), name: 'conv1' }),
      tf.layers.batchNormalization({ momentum: 0.9, name: 'bn1' }),
      tf.layers.reLU({ name: 'relu1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(2), name: 'conv2' }),
      tf.layers.batchNormalization({ momentum: 0.9, name: 'bn2' }),
      tf.layers.reLU({ name: 'relu2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3), name: 'fc1' }),
      tf.layers.dropout({ rate: 0.2, seed, name: 'dropout' }),
      tf.layers.dense({ units: 10, kernelInitializer: init(4), name: 'logits' }),
    ],
  });
}

/** Bytes of a model's float32 weights: what a float model ships. */
export function floatWeightBytes(model: tf.LayersModel): number {
  return model.getWeights().reduce((n, w) => n + w.size * 4, 0);
}
