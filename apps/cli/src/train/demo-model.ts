import * as tf from '@tensorflow/tfjs';
import { mobilenetV2, resnet } from '@qatkit/models';

import type { DemoArch } from './demo-archs.js';

// In their own module so that registering the demo's options does not load tfjs.
export { DEMO_ARCHS, type DemoArch } from './demo-archs.js';

/**
 * The demo's CNN for 28×28 grayscale images: two conv + BatchNorm blocks and a small classifier,
 * ending in logits (the loss applies softmax). ~106k parameters, so the int8 file is dominated by
 * weights. BatchNorm is folded into the convs during QAT and in the export; its momentum is 0.9
 * (Keras: 0.99) so the moving statistics settle within the demo's few hundred steps.
 */
export function buildDemoCnn(seed = 1): tf.LayersModel {
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

/**
 * A reference backbone on 28×28×1 images with a logits head: MobileNetV2 (alpha 0.35; images
 * zero-padded to the 32×32 it needs, as a nested model) or ResNet-20, with BatchNorm momentum 0.9
 * for the demo's few hundred steps (Keras' 0.999 would leave the moving statistics near their start).
 */
function backboneModel(arch: Exclude<DemoArch, 'cnn'>, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1], name: 'image' });
  let x: tf.SymbolicTensor;
  if (arch === 'mobilenetv2') {
    const padded = tf.layers.zeroPadding2d({ padding: 2, name: 'pad_to_32' }).apply(input) as tf.SymbolicTensor;
    x = mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 1], includeTop: false, seed, batchNormMomentum: 0.9, name: 'mobilenetv2' }).apply(padded) as tf.SymbolicTensor;
  } else {
    x = resnet({ depth: 20, inputShape: [28, 28, 1], includeTop: false, seed, batchNormMomentum: 0.9, name: 'resnet20' }).apply(input) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 9 }), name: 'logits' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: `fashion_${arch}` });
}

export function buildDemoModel(arch: DemoArch, seed = 1): tf.LayersModel {
  return arch === 'cnn' ? buildDemoCnn(seed) : backboneModel(arch, seed);
}

/** Bytes of the float32 weights: what a float model ships. */
export function floatWeightBytes(model: tf.LayersModel): number {
  return model.getWeights().reduce((n, w) => n + w.size * 4, 0);
}
