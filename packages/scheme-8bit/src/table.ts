import type { FusionRule, OutputRule, QuantizeSpec, QuantizerSpec } from '@qatkit/core';
import type { RegistryRow } from '@qatkit/registry';
import { A8, LAYER_ACTIVATIONS, W8 } from './quantizers.js';
import { loweredRows } from './table-lowered.js';

const SPEC = 'TFLite int8 quantization spec (quantization_spec.md; anchors §D)';
const TFMOT = 'tfmot Default8BitQuantizeRegistry (anchors §A.6)';

const sameAsInput: OutputRule = { kind: 'same-as-input' };
// Fixed-output kernels (SOFTMAX, LOGISTIC, TANH) compute on the int8 grid whatever the scheme's widths.
const softmaxOut: OutputRule = { kind: 'fixed', scale: 1 / 256, zeroPoint: -128, quantizer: A8 };

/**
 * The quantizers the table is written in terms of. Other schemes (e.g. @qatkit/scheme-nbit) reuse
 * the table with their own instead of copying it (tfmot forked its 8-bit table and the copies drifted).
 */
export interface SchemeQuantizers {
  /** Conv/dense kernels (symmetric: TFLite's kernels take weights with zero point 0). */
  readonly weight: QuantizerSpec;
  /** Learned activation outputs. */
  readonly activation: QuantizerSpec;
  /** Per-output-channel conv kernels, or per tensor (some NPUs need it). */
  readonly perAxis: boolean;
}

/**
 * The default 8-bit table. `perAxis` picks per-output-channel conv weights (the spec's default)
 * or per-tensor weights (some NPUs need it).
 */
export function default8bitRows(perAxis: boolean): RegistryRow[] {
  return schemeRows({ weight: W8, activation: A8, perAxis });
}

/** The table with its weight and activation quantizers as parameters (default8bitRows: W8, A8). */
export function schemeRows(quantizers: SchemeQuantizers): RegistryRow[] {
  const { weight, activation, perAxis } = quantizers;
  const learned: OutputRule = { kind: 'learned', quantizer: activation };
  return [
    {
      layer: 'InputLayer',
      spec: { op: 'Input', weights: {}, output: learned },
      source: `${TFMOT}: model input quantized by a running min/max`,
    },
    {
      layer: 'Conv2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'Conv2D', weights: { kernel: { quantizer: weight, perAxis } }, output: learned, activations: LAYER_ACTIVATIONS },
      source: `${SPEC}: CONV_2D weights per-axis (dim 0), int32 bias, output free`,
    },
    {
      layer: 'Dense',
      spec: { op: 'FullyConnected', weights: { kernel: { quantizer: weight, perAxis: false } }, output: learned, activations: LAYER_ACTIVATIONS },
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
      spec: { op: 'Softmax', weights: {}, output: softmaxOut },
      source: `${SPEC}: SOFTMAX output fixed at (1/256, -128)`,
    },
    {
      layer: 'DepthwiseConv2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'DepthwiseConv2D', weights: { depthwiseKernel: { quantizer: weight, perAxis } }, output: learned, activations: LAYER_ACTIVATIONS },
      source: `${SPEC}: DEPTHWISE_CONV_2D weights per-axis (dim 3: one range per output channel), int32 bias, output free`,
    },
    {
      layer: 'BatchNormalization',
      spec: { op: 'BatchNorm', weights: {}, output: learned },
      source: `${TFMOT}: Conv2D/DepthwiseConv2D/Dense + BatchNormalization, here folded into the weights during QAT (anchors §A.7); standalone: per-channel MUL then ADD by int8 constants (${SPEC})`,
    },
    {
      layer: 'Add',
      spec: { op: 'Add', weights: {}, output: learned },
      source: `${SPEC}: ADD inputs and output each per-tensor, output free`,
    },
    {
      layer: 'Multiply',
      spec: { op: 'Mul', weights: {}, output: learned },
      source: `${SPEC}: MUL inputs and output each per-tensor, output free`,
    },
    {
      layer: 'Concatenate',
      spec: { op: 'Concatenation', weights: {}, output: learned },
      source: `${SPEC}: CONCATENATION inputs and output share scale and zero point (inputs requantized onto the output's)`,
    },
    {
      layer: 'Maximum',
      spec: { op: 'Maximum', weights: {}, output: learned },
      source: `${SPEC}: MAXIMUM inputs and output share scale and zero point (inputs requantized onto the output's)`,
    },
    {
      layer: 'Minimum',
      spec: { op: 'Minimum', weights: {}, output: learned },
      source: `${SPEC}: MINIMUM inputs and output share scale and zero point (inputs requantized onto the output's)`,
    },
    {
      layer: 'AveragePooling2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'AveragePool2D', weights: {}, output: sameAsInput },
      source: `${SPEC}: AVERAGE_POOL_2D input and output share scale and zero point`,
    },
    {
      layer: 'GlobalAveragePooling2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'Mean', weights: {}, output: learned },
      source: `${SPEC}: MEAN output free`,
    },
    {
      layer: 'GlobalMaxPooling2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'ReduceMax', weights: {}, output: sameAsInput },
      source: `${SPEC}: REDUCE_MAX input and output share scale and zero point (operator_property)`,
    },
    {
      layer: 'ZeroPadding2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'Pad', weights: {}, output: sameAsInput },
      source: `${SPEC}: PAD input and output share scale and zero point`,
    },
    {
      layer: 'Cropping2D',
      match: { dataFormat: ['channelsLast'] },
      spec: { op: 'Slice', weights: {}, output: sameAsInput },
      source: `${SPEC}: SLICE input and output share scale and zero point`,
    },
    {
      layer: 'UpSampling2D',
      match: { dataFormat: ['channelsLast'], interpolation: ['nearest'] },
      spec: { op: 'ResizeNearestNeighbor', weights: {}, output: sameAsInput },
      source: `${SPEC}: RESIZE_NEAREST_NEIGHBOR input and output share scale and zero point`,
    },
    {
      layer: 'UpSampling2D',
      match: { dataFormat: ['channelsLast'], interpolation: ['bilinear'] },
      spec: { op: 'ResizeBilinear', weights: {}, output: sameAsInput },
      source: `${SPEC}: RESIZE_BILINEAR input and output share scale and zero point (outputs re-rounded onto the input grid)`,
    },
    {
      layer: 'Permute',
      spec: { op: 'Transpose', weights: {}, output: sameAsInput },
      source: `${SPEC}: TRANSPOSE input and output share scale and zero point`,
    },
    {
      layer: 'LeakyReLU',
      spec: { op: 'LeakyRelu', weights: {}, output: learned },
      source: `${TFMOT}: LeakyReLU output quantized; TFLite LEAKY_RELU output free`,
    },
    {
      layer: 'ELU',
      match: { alpha: [1, null] },
      spec: { op: 'Elu', weights: {}, output: learned },
      source: `${SPEC}: ELU (alpha 1) output free`,
    },
    ...activationRows(learned),
    ...loweredRows(quantizers),
    ...['SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout'].map(
      (layer): RegistryRow => ({ layer, spec: { op: 'Identity', weights: {}, output: { kind: 'identity' } }, source: `${TFMOT}: ${layer} is a no-op at inference` }),
    ),
  ];
}

/** `Activation` layers by function: the op each becomes and its output rule (anchors §A.6, §D). */
function activationRows(learned: OutputRule): RegistryRow[] {
  const row = (activation: string, op: QuantizeSpec['op'], output: OutputRule, source: string): RegistryRow => ({
    layer: 'Activation',
    match: { activation: [activation] },
    spec: { op, weights: {}, output },
    source,
  });
  return [
    row('relu', 'Relu', learned, `${TFMOT}: Activation(relu) output quantized`),
    row('relu6', 'Relu6', learned, `${TFMOT}: Activation(relu6) output quantized`),
    row('linear', 'Identity', { kind: 'identity' }, `${TFMOT}: Activation(linear) is a no-op`),
    row('softmax', 'Softmax', softmaxOut, `${SPEC}: SOFTMAX output fixed at (1/256, -128)`),
    row('sigmoid', 'Logistic', { kind: 'fixed', scale: 1 / 256, zeroPoint: -128, quantizer: A8 }, `${SPEC}: LOGISTIC output fixed at (1/256, -128)`),
    row('tanh', 'Tanh', { kind: 'fixed', scale: 1 / 128, zeroPoint: 0, quantizer: A8 }, `${SPEC}: TANH output fixed at (1/128, 0)`),
    row('elu', 'Elu', learned, `${SPEC}: ELU output free`),
    row('swish', 'Mul', learned, `${TFMOT}: Activation(swish) output quantized; TFLite LOGISTIC (output fixed at 1/256, -128) then MUL by the input, output free`),
  ];
}

/**
 * Conv/Dense followed by BatchNormalization fold it into their weights; Conv/Dense/Add followed by
 * a ReLU layer (or Activation relu/relu6) run as one op with a fused activation, so no quantizer
 * sits between them (tfmot's Conv2DBatchNormReLUQuantize and LayerReLUQuantize, anchors §A.7).
 */
export const DEFAULT_8BIT_FUSIONS: readonly FusionRule[] = Object.freeze([
  { producers: ['Conv2D', 'DepthwiseConv2D', 'Dense', 'SeparableConv2D', 'Conv1D', 'Conv2DTranspose'], activations: ['ReLU', 'Activation'], whenProducerActivation: ['linear'], foldBatchNorm: true },
  { producers: ['Add'], activations: ['ReLU', 'Activation'], whenProducerActivation: ['linear'] },
]);
