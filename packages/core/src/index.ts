export type { DType, TensorData, Quantization, Tensor, Padding, FusedActivation, OpAttrs, OpKind, Op, Graph } from './ir/types.js';
export { OP_KINDS } from './ir/types.js';
export { GraphBuilder, consumersOf, producerOf } from './ir/graph-builder.js';
export { validateGraph } from './ir/validate.js';
export { inferOutputShape, checkShapes, windowOutput } from './ir/shape-rules.js';
export { QatkitError, isQatkitError, type QatkitErrorCode } from './errors.js';
export {
  MIN_RANGE,
  quantLevels,
  nudgeRange,
  activationQuantization,
  weightQuantization,
  fixedQuantization,
  type QuantizerSpec,
  type QuantLevels,
  type NudgedRange,
} from './quant/range.js';
export { quantize, dequantize, fakeQuantize, quantizeBias, roundHalfAwayFromZero } from './quant/quantize.js';
export { REQUANT_LIMIT, REQUANT_TARGET, BIAS_LIMIT, requantFloor, biasSafeWeightScales, maxRequantRatio } from './quant/limits.js';
export { frexp, quantizeMultiplier, multiplyByQuantizedMultiplier, type QuantizedMultiplier } from './quant/multiplier.js';
export type {
  LayerDescriptor,
  OutputRule,
  QuantizeSpec,
  WeightRule,
  ActivationRule,
  FusionRule,
  QuantizeRegistry,
} from './plugin/registry.js';
export type { GraphTransform, RangeTracking, QuantizeScheme } from './plugin/scheme.js';
export type { IoType, ExportOptions, Exporter } from './plugin/exporter.js';
export type { Placement, OpVerdict, TargetReport, TargetProfile } from './plugin/target.js';
export { createQuantizer, type Quantizer, type QuantizerOptions } from './plugin/create-quantizer.js';
