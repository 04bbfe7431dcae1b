import * as tf from '@tensorflow/tfjs';

/**
 * The demo's CNN for 28×28 grayscale images: two conv blocks and a small classifier, ending in
 * logits (the loss applies softmax). ~106k parameters, so the int8 file is dominated by weights.
 */
export function buildDemoCnn(seed = 1): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
  return tf.sequential({
    name: 'fashion_cnn',
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: init(1), name: 'conv1' }),
      tf.layers.reLU({ name: 'relu1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'conv2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3), name: 'fc1' }),
      tf.layers.dropout({ rate: 0.2, seed, name: 'dropout' }),
      tf.layers.dense({ units: 10, kernelInitializer: init(4), name: 'logits' }),
    ],
  });
}

/** Bytes of the float32 weights: what a float model ships. */
export function floatWeightBytes(model: tf.LayersModel): number {
  return model.getWeights().reduce((n, w) => n + w.size * 4, 0);
}
