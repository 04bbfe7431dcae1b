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
  powerOfTwoAtLeast,
  activationQuantization,
  weightQuantization,
  fixedQuantization,
  type QuantizerSpec,
  type QuantLevels,
  type NudgedRange,
} from './quant/range.js';
export { quantize, dequantize, fakeQuantize, quantizeBias, roundHalfAwayFromZero } from './quant/quantize.js';
export { REQUANT_LIMIT, REQUANT_TARGET, BIAS_LIMIT, requantFloor, biasSafeWeightScales, maxRequantRatio, addFloor, mulFloor, ADD_RATIO_TARGET, MUL_RATIO_TARGET } from './quant/limits.js';
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
export type {
  Confidence,
  Placement,
  Effect,
  Provenance,
  Finding,
  TargetRule,
  OpSupportRow,
  PartitioningModel,
  ProfileTables,
  OpVerdict,
  Partition,
  TargetSummary,
  TargetReport,
  TargetRequirements,
  TargetProfile,
} from './plugin/target.js';
export {
  opKey,
  opContext,
  type TargetModel,
  type ModelSubgraph,
  type ModelOperator,
  type ModelTensor,
  type ModelQuantization,
  type ModelOptionValue,
  type OpContext,
} from './plugin/target-model.js';
export { modelTensor, constTensor, buildTargetModel, type OperatorSpec } from './plugin/target-model-builder.js';
export { runProfile, type ProfileRun } from './plugin/target-engine.js';
export { partitionSubgraph, nodeSubsets } from './plugin/target-partition.js';
export { estimateMacs } from './plugin/target-macs.js';
export {
  FLOAT_TYPES,
  isFloat,
  isPerAxis,
  shapeText,
  tensorText,
  elementCount,
  activations,
  fusedActivation,
  effectiveRank,
  quantizationRefusal,
  constValues,
} from './plugin/target-rules.js';
export { narrowTensors, narrowStorage, type NarrowTensor } from './plugin/target-narrow.js';
export { countTransitions } from './plugin/target-summary.js';
export { quantizationFor, type QuantizationPlan } from './plugin/target-requirements.js';
export { createQuantizer, type Quantizer, type QuantizerOptions } from './plugin/create-quantizer.js';
export { checkInputs, dtypeOfData, formatShape, type RunnerDType, type RunnerTensor, type RunnerOutput, type TensorInfo } from './runner/run-inputs.js';
