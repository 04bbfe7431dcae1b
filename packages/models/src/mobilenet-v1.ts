// MobileNet v1 (Howard et al. 2017) with the layer arrangement and names of
// keras.applications.MobileNet (depth multiplier 1), untrained.
import * as tf from '@tensorflow/tfjs';
import { Builder } from './builder.js';
import {
  checkChannels,
  checkCommon,
  checkInputShape,
  checkMultiplier,
  checkRate,
  checkTop,
  type CommonOptions,
  type TopOptions,
} from './options.js';

export type MobilenetV1Options = CommonOptions &
  TopOptions & {
    /** Width multiplier: every layer has `trunc(channels · alpha)` channels (Keras' `int()`). */
    readonly alpha: number;
    /** Dropout rate before the classifier; default 1e-3 as in Keras. */
    readonly dropout?: number;
  };

const MODEL = 'mobilenetV1';

/** Pointwise channels and depthwise stride of the 13 depthwise-separable blocks (ids 1…13). */
export const MOBILENET_V1_BLOCKS: readonly (readonly [filters: number, stride: 1 | 2])[] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/**
 * Keras' MobileNet: `conv1` 3×3/2 → BN → ReLU6, then 13 blocks of
 * (`conv_pad_<i>` ZeroPadding2D ((0,1),(0,1)) before a stride-2 depthwise)
 * `conv_dw_<i>` DepthwiseConv2D 3×3 → BN → ReLU6 → `conv_pw_<i>` Conv2D 1×1 → BN → ReLU6.
 * The classifier is Keras' 1×1-convolution head: GlobalAveragePooling2D → Reshape [1, 1, C] →
 * Dropout → `conv_preds` Conv2D 1×1 (with bias) → Reshape [classes] → softmax Activation
 * (`predictions`). Convolutions followed by batch norm have no bias.
 */
export function mobilenetV1(options: MobilenetV1Options): tf.LayersModel {
  const alpha = checkMultiplier(MODEL, 'alpha', options.alpha);
  const inputShape = checkInputShape(MODEL, options.inputShape, 32);
  const classes = checkTop(MODEL, options);
  const dropout = checkRate(MODEL, 'dropout', options.dropout ?? 1e-3);
  const common = checkCommon(MODEL, options, () => `mobilenet_${alpha.toFixed(2)}_${inputShape[0]}`);
  const { name, seed } = common;
  const width = (filters: number) => checkChannels(MODEL, 'alpha', alpha, Math.trunc(filters * alpha));
  const b = new Builder(seed, { momentum: common.batchNormMomentum ?? 0.99, epsilon: 1e-3 });

  const input = tf.input({ shape: [...inputShape], name: 'input_1' });
  let x = b.conv(input, 'conv1', { filters: width(32), kernelSize: 3, strides: 2 });
  x = b.relu6(b.bn(x, 'conv1_bn'), 'conv1_relu');

  MOBILENET_V1_BLOCKS.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) x = b.zeroPad(x, `conv_pad_${id}`, [[0, 1], [0, 1]]);
    x = b.depthwise(x, `conv_dw_${id}`, { strides: stride, padding: stride === 1 ? 'same' : 'valid' });
    x = b.relu6(b.bn(x, `conv_dw_${id}_bn`), `conv_dw_${id}_relu`);
    x = b.conv(x, `conv_pw_${id}`, { filters: width(filters), kernelSize: 1 });
    x = b.relu6(b.bn(x, `conv_pw_${id}_bn`), `conv_pw_${id}_relu`);
  });

  if (classes !== undefined) {
    const channels = x.shape[3]!;
    x = b.globalAveragePool(x, 'global_average_pooling2d');
    x = b.reshape(x, 'reshape_1', [1, 1, channels]);
    x = b.dropout(x, 'dropout', dropout);
    x = b.conv(x, 'conv_preds', { filters: classes, kernelSize: 1, useBias: true });
    x = b.reshape(x, 'reshape_2', [classes]);
    x = b.softmax(x, 'predictions');
  }
  return tf.model({ inputs: input, outputs: x, name });
}
