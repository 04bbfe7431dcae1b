import * as tf from '@tensorflow/tfjs';
import { fashionCnn, floatWeightBytes, mobilenetV2, resnet } from '@qatkit/models';

import type { DemoArch } from './demo-archs.js';

// In their own module so that registering the demo's options does not load tfjs.
export { DEMO_ARCHS, type DemoArch } from './demo-archs.js';

/** The demo's CNN with BatchNorm (`fashionCnn` from @qatkit/models, shared with the playground). */
export function buildDemoCnn(seed = 1): tf.LayersModel {
  return fashionCnn({ seed });
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

export { floatWeightBytes };
