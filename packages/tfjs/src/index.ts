import { registerQatLayers } from './layers/register.js';

// QAT models saved with tf.io load with tf.loadLayersModel after importing this package alone:
// tfjs finds layer classes by name in its own class map, so ours are entered on import.
registerQatLayers();

export { quantizeModel, calibrate, type QuantizeModelOptions } from './quantize-model.js';
export { CALIBRATION_METHODS, DEFAULT_PERCENTILE, type CalibrationMethod, type CalibrateOptions, type CalibrationResult } from './calibrate/options.js';
export { quantizeAnnotateLayer, quantizeAnnotateModel, quantizeApply } from './annotate.js';
export { toGraph, toFloatGraph, fakeQuantParams, type ToGraphOptions, type ToFloatGraphOptions } from './to-graph.js';
export { walkModel, type LayerGraph, type GraphNode, type GraphInput } from './graph/walk.js';
export { makePlan, type MakePlanOptions } from './plan/make-plan.js';
export type { Plan, PlanNode, PlanInput, PlanQuant, PlanOp, PlanWeights, BatchNormFold, WeightsFrom, PlanConstant } from './plan/types.js';
export { buildQatModel, planOf, exportOptionsOf } from './qat/build-qat.js';
export { describeLayer } from './describe.js';
export { FakeQuant, type FakeQuantArgs, type RangeMode } from './layers/fake-quant.js';
export { QuantConv2D, type QuantConv2DArgs, type QatActivation } from './layers/quant-conv2d.js';
export { QuantDepthwiseConv2D, type QuantDepthwiseConv2DArgs } from './layers/quant-depthwise.js';
export { QuantDense, type QuantDenseArgs } from './layers/quant-dense.js';
export { QuantConv2DTranspose, type QuantConv2DTransposeArgs } from './layers/quant-conv2d-transpose.js';
export { QuantConstOp, type QuantConstOpArgs, type ConstOp } from './layers/quant-const.js';
export { QuantWeighted, type QuantWeightedArgs, type FoldedBatchNorm } from './layers/quant-weighted.js';
export { setExactInference } from './layers/integer-inference.js';
export { QuantAdd } from './layers/quant-add.js';
export { registerQatLayers, QAT_LAYER_CLASSES } from './layers/register.js';
export { fakeQuantRange, fakeQuantFixed, fakeQuantWeights, weightScales, nudgeRangeTensors } from './layers/fake-quant-ops.js';
export { initBackend, type BackendChoice, type InitBackendOptions } from './backend.js';
export {
  registerTrainingKernels,
  unregisterTrainingKernels,
  builtinKernel,
  trainingKernelConfigs,
  TRAINING_KERNEL_NAMES,
  type TrainingKernelName,
} from './kernels/index.js';
export { FAKE_QUANT_KERNEL, fakeQuantKernelConfig, registerFakeQuantKernel } from './kernels/fake-quant-kernel.js';
