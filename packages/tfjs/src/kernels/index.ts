export { registerTrainingKernels, unregisterTrainingKernels, builtinKernel } from './register.js';
export { trainingKernelConfigs, TRAINING_KERNEL_NAMES, type TrainingKernelName } from './training-kernels.js';
export { convGeometry, type ConvGeometry, type ConvBackpropAttrs } from './conv-geometry.js';
