export { quantizeModel, calibrate, type QuantizeModelOptions } from './quantize-model.js';
export { toGraph, fakeQuantParams, type ToGraphOptions } from './to-graph.js';
export { planQat, type PlanStep } from './plan.js';
export { describeLayer, chainLayers } from './describe.js';
export { FakeQuant, type FakeQuantArgs, type RangeMode } from './layers/fake-quant.js';
export { QuantConv2D, type QuantConv2DArgs, type QatActivation } from './layers/quant-conv2d.js';
export { QuantDense, type QuantDenseArgs } from './layers/quant-dense.js';
export { registerQatLayers, QAT_LAYER_CLASSES } from './layers/register.js';
export { fakeQuantRange, fakeQuantFixed, fakeQuantWeights, weightScales, nudgeRangeTensors } from './layers/fake-quant-ops.js';
export { initBackend, type BackendChoice } from './backend.js';
export {
  registerTrainingKernels,
  unregisterTrainingKernels,
  builtinKernel,
  trainingKernelConfigs,
  TRAINING_KERNEL_NAMES,
  type TrainingKernelName,
} from './kernels/index.js';
export { FAKE_QUANT_KERNEL, fakeQuantKernelConfig, registerFakeQuantKernel } from './kernels/fake-quant-kernel.js';
