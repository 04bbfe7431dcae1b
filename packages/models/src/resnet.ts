// A small ResNet family (He et al. 2016) of basic blocks, untrained: the CIFAR ResNets (6n + 2
// layers: 20, 32, 44, 56, 110) and ResNet-18/-34 with a 3×3 stem for small inputs. Layer names
// follow keras.applications.ResNet (`conv2_block1_1_conv`, `conv2_block1_add`, …).
import * as tf from '@tensorflow/tfjs';
import { Builder, channelsOf } from './builder.js';
import { checkChannels, checkCommon, checkInputShape, checkMultiplier, checkOneOf, checkTop, type CommonOptions, type TopOptions } from './options.js';

export const RESNET_DEPTHS = [18, 20, 32, 34, 44, 56, 110] as const;
export type ResnetDepth = (typeof RESNET_DEPTHS)[number];

export type ResnetOptions = CommonOptions &
  TopOptions & {
    readonly depth: ResnetDepth;
    /** Channel multiplier: every layer has `max(1, round(channels · width))` channels. Default 1. */
    readonly width?: number;
  };

const MODEL = 'resnet';

/** Blocks per stage and the stages' channels; each stage after the first starts with stride 2. */
export function resnetStages(depth: ResnetDepth): { blocks: number[]; channels: number[] } {
  if (depth === 18) return { blocks: [2, 2, 2, 2], channels: [64, 128, 256, 512] };
  if (depth === 34) return { blocks: [3, 4, 6, 3], channels: [64, 128, 256, 512] };
  const n = (depth - 2) / 6;
  return { blocks: [n, n, n], channels: [16, 32, 64] };
}

/**
 * Stem `conv1_conv` 3×3/1 → `conv1_bn` → `conv1_relu` with the first stage's channels; per stage
 * (`conv2`, `conv3`, …) basic blocks `conv<s>_block<b>`: `_1_conv` 3×3 (stride 2 in the first block
 * of every stage but the first) → `_1_bn` → `_1_relu` → `_2_conv` 3×3 → `_2_bn`, added (`_add`) to
 * the block input or, when the shape changes, to a projection `_0_conv` 1×1 → `_0_bn`; then `_out`
 * ReLU. GlobalAveragePooling2D `avg_pool` → Dense `predictions` (softmax). Convolutions have no
 * bias (each is followed by batch norm); batch norm as Keras' ResNet (epsilon 1.001e-5).
 */
export function resnet(options: ResnetOptions): tf.LayersModel {
  const depth = checkOneOf(MODEL, 'depth', options.depth, RESNET_DEPTHS);
  const inputShape = checkInputShape(MODEL, options.inputShape, 1);
  const width = checkMultiplier(MODEL, 'width', options.width ?? 1);
  const classes = checkTop(MODEL, options);
  const common = checkCommon(MODEL, options, () => `resnet${depth}`);
  const { name, seed } = common;
  const scaled = (channels: number) => checkChannels(MODEL, 'width', width, Math.max(1, Math.round(channels * width)));
  const b = new Builder(seed, { momentum: common.batchNormMomentum ?? 0.99, epsilon: 1.001e-5 });
  const { blocks, channels } = resnetStages(depth);

  const input = tf.input({ shape: [...inputShape], name: 'input_1' });
  let x = b.conv(input, 'conv1_conv', { filters: scaled(channels[0]!), kernelSize: 3 });
  x = b.relu(b.bn(x, 'conv1_bn'), 'conv1_relu');

  blocks.forEach((count, stage) => {
    for (let block = 0; block < count; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      x = basicBlock(b, x, `conv${stage + 2}_block${block + 1}`, scaled(channels[stage]!), stride);
    }
  });

  if (classes !== undefined) {
    x = b.globalAveragePool(x, 'avg_pool');
    x = b.dense(x, 'predictions', classes, 'softmax');
  }
  return tf.model({ inputs: input, outputs: x, name });
}

function basicBlock(b: Builder, input: tf.SymbolicTensor, prefix: string, filters: number, stride: 1 | 2): tf.SymbolicTensor {
  let shortcut = input;
  if (stride !== 1 || channelsOf(input) !== filters) {
    shortcut = b.conv(input, `${prefix}_0_conv`, { filters, kernelSize: 1, strides: stride });
    shortcut = b.bn(shortcut, `${prefix}_0_bn`);
  }
  let x = b.conv(input, `${prefix}_1_conv`, { filters, kernelSize: 3, strides: stride });
  x = b.relu(b.bn(x, `${prefix}_1_bn`), `${prefix}_1_relu`);
  x = b.conv(x, `${prefix}_2_conv`, { filters, kernelSize: 3 });
  x = b.bn(x, `${prefix}_2_bn`);
  return b.relu(b.add([shortcut, x], `${prefix}_add`), `${prefix}_out`);
}
