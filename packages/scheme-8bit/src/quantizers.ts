import type { ActivationRule, QuantizerSpec } from '@qatkit/core';

/** Weights: int8 symmetric, narrow range [-127, 127], zero point 0 (TFLite int8 spec, anchors §D). */
export const W8: QuantizerSpec = Object.freeze({ bits: 8, symmetric: true, narrowRange: true, signed: true });

/** Activations: int8 asymmetric [-128, 127], per tensor (TFLite int8 spec, anchors §D). */
export const A8: QuantizerSpec = Object.freeze({ bits: 8, symmetric: false, narrowRange: false, signed: true });

/**
 * How Conv2D/Dense handle their own `activation` config: TFLite fuses NONE/RELU/RELU6 into the
 * op; softmax, sigmoid, tanh and swish become their own op(s) after a learned pre-activation range.
 */
export const LAYER_ACTIVATIONS: Readonly<Record<string, ActivationRule>> = Object.freeze({
  linear: { kind: 'fused', as: 'none' },
  relu: { kind: 'fused', as: 'relu' },
  relu6: { kind: 'fused', as: 'relu6' },
  softmax: { kind: 'separate', layer: 'Softmax' },
  sigmoid: { kind: 'separate', layer: 'Activation', config: { activation: 'sigmoid' } },
  tanh: { kind: 'separate', layer: 'Activation', config: { activation: 'tanh' } },
  swish: { kind: 'separate', layer: 'Activation', config: { activation: 'swish' } },
});
