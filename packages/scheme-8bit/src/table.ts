import type { FusionRule, OutputRule } from '@qatkit/core';
import type { RegistryRow } from '@qatkit/registry';
import { A8, LAYER_ACTIVATIONS, W8 } from './quantizers.js';

const SPEC = 'TFLite int8 quantization spec (quantization_spec.md; anchors §D)';
const TFMOT = 'tfmot Default8BitQuantizeRegistry (anchors §A.6)';

const learned: OutputRule = { kind: 'learned', quantizer: A8 };
const sameAsInput: OutputRule = { kind: 'same-as-input' };

/**
 * The default 8-bit table. `perAxis` picks per-output-channel conv weights (the spec's default)
 * or per-tensor weights (some NPUs need it).
 */
export function default8bitRows(perAxis: boolean): RegistryRow[] {
  return [
    {
      layer: 'InputLayer',
      spec: { op: 'Input', weights: {}, output: learned },
      source: `${TFMOT}: model input quantized by a running min/max`,
    },
    {
      layer: 'Conv2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'Conv2D', weights: { kernel: { quantizer: W8, perAxis } }, output: learned, activations: LAYER_ACTIVATIONS },
      source: `${SPEC}: CONV_2D weights per-axis (dim 0), int32 bias, output free`,
    },
    {
      layer: 'Dense',
      spec: { op: 'FullyConnected', weights: { kernel: { quantizer: W8, perAxis: false } }, output: learned, activations: LAYER_ACTIVATIONS },
      source: `${SPEC}: FULLY_CONNECTED weights per-tensor, int32 bias, output free`,
    },
    {
      layer: 'ReLU',
      match: { maxValue: [null] },
      spec: { op: 'Relu', weights: {}, output: learned },
      source: `${TFMOT}: ReLU output quantized`,
    },
    {
      layer: 'ReLU',
      match: { maxValue: [6] },
      spec: { op: 'Relu6', weights: {}, output: learned },
      source: `${TFMOT}: ReLU(max 6) is TFLite RELU6`,
    },
    {
      layer: 'MaxPooling2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'MaxPool2D', weights: {}, output: sameAsInput },
      source: `${SPEC}: MAX_POOL_2D input and output share scale and zero point`,
    },
    {
      layer: 'Flatten',
      spec: { op: 'Reshape', weights: {}, output: sameAsInput },
      source: `${SPEC}: RESHAPE input and output share scale and zero point`,
    },
    {
      layer: 'Reshape',
      spec: { op: 'Reshape', weights: {}, output: sameAsInput },
      source: `${SPEC}: RESHAPE input and output share scale and zero point`,
    },
    {
      layer: 'Dropout',
      spec: { op: 'Identity', weights: {}, output: { kind: 'identity' } },
      source: `${TFMOT}: Dropout is a no-op at inference`,
    },
    {
      layer: 'Softmax',
      match: { axis: [-1] },
      spec: { op: 'Softmax', weights: {}, output: { kind: 'fixed', scale: 1 / 256, zeroPoint: -128, quantizer: A8 } },
      source: `${SPEC}: SOFTMAX output fixed at (1/256, -128)`,
    },
  ];
}

/** Conv/Dense followed by a ReLU layer run as one op with a fused activation (tfmot LayerReLUQuantize). */
export const DEFAULT_8BIT_FUSIONS: readonly FusionRule[] = Object.freeze([
  { producers: ['Conv2D', 'Dense'], activations: ['ReLU'], whenProducerActivation: ['linear'] },
]);
