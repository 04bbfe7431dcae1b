import type { OutputRule } from '@qatkit/core';
import type { RegistryRow } from '@qatkit/registry';
import { A8, LAYER_ACTIVATIONS } from './quantizers.js';
import type { SchemeQuantizers } from './table.js';

const SPEC = 'TFLite int8 quantization spec (quantization_spec.md; anchors §D)';
const TFMOT = 'tfmot default 8-bit layout transforms (anchors §A.7)';

const sameAsInput: OutputRule = { kind: 'same-as-input' };

/**
 * Layers TFLite has no single op for, which the bridge lowers to several (or to one with a
 * constant operand). `op` names the op that produces the layer's output; `weights` how each of
 * the layer's weights is quantized (constant operands: int8 per tensor, like activations, as
 * TFLite's ADD/MUL/PRELU take them; PReLU's alpha stays A8 whatever the scheme's widths).
 */
export function loweredRows(quantizers: SchemeQuantizers): RegistryRow[] {
  const { weight, activation, perAxis } = quantizers;
  const learned: OutputRule = { kind: 'learned', quantizer: activation };
  return [
    {
      layer: 'SeparableConv2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'Conv2D', weights: { depthwiseKernel: { quantizer: weight, perAxis }, pointwiseKernel: { quantizer: weight, perAxis } }, output: learned, activations: LAYER_ACTIVATIONS },
      source: `${TFMOT}: SeparableConvQuantize, DEPTHWISE_CONV_2D (no bias, output quantized) then a 1×1 CONV_2D`,
    },
    {
      layer: 'Conv2DTranspose',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'TransposeConv2D', weights: { kernel: { quantizer: weight, perAxis } }, output: learned, activations: LAYER_ACTIVATIONS },
      source: `${SPEC}: TRANSPOSE_CONV weights per-axis (dim 0, OHWI), int32 bias, output free`,
    },
    {
      layer: 'Conv1D',
      match: { padding: ['valid', 'same'] },
      spec: { op: 'Conv2D', weights: { kernel: { quantizer: weight, perAxis } }, output: learned, activations: LAYER_ACTIVATIONS },
      source: `${SPEC}: CONV_2D with a 1×k kernel between RESHAPEs (the converter's lowering of conv1d); causal padding has no CONV_2D form`,
    },
    {
      layer: 'PReLU',
      spec: { op: 'Prelu', weights: { alpha: { quantizer: A8, perAxis: false } }, output: learned },
      source: `${SPEC}: PRELU alpha int8 per tensor, output free`,
    },
    {
      layer: 'Average',
      spec: { op: 'Mul', weights: {}, output: learned },
      source: `${SPEC}: ADD of the inputs (output free) then MUL by the int8 constant 1/n (output free)`,
    },
    {
      layer: 'RepeatVector',
      spec: { op: 'Concatenation', weights: {}, output: sameAsInput },
      source: `${SPEC}: RESHAPE to [b, 1, F] then CONCATENATION of n copies; both keep the input's scale and zero point`,
    },
    {
      layer: 'Rescaling',
      spec: { op: 'Mul', weights: {}, output: learned },
      source: `${SPEC}: MUL by the int8 constant scale, then ADD the int8 constant offset when it is not 0; outputs free`,
    },
  ];
}
