import * as tf from '@tensorflow/tfjs';
import { FakeQuant } from './fake-quant.js';
import { QuantAdd } from './quant-add.js';
import { QuantConstOp } from './quant-const.js';
import { QuantConv2D } from './quant-conv2d.js';
import { QuantConv2DTranspose } from './quant-conv2d-transpose.js';
import { QuantDense } from './quant-dense.js';
import { QuantDepthwiseConv2D } from './quant-depthwise.js';

export const QAT_LAYER_CLASSES = [FakeQuant, QuantConv2D, QuantDepthwiseConv2D, QuantDense, QuantConv2DTranspose, QuantConstOp, QuantAdd] as const;

/**
 * Makes the QAT layers loadable with tf.loadLayersModel. tfjs keeps one process-wide class map;
 * this is our only entry in it, and registering again is harmless.
 */
export function registerQatLayers(): void {
  for (const cls of QAT_LAYER_CLASSES) tf.serialization.registerClass(cls);
}
