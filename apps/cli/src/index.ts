// The CLI's building blocks, for the end-to-end tests and for scripts that want the demo's pieces.
export { loadFashionMnist } from './data/fashion-mnist.js';
export { buildDemoCnn, buildDemoModel, floatWeightBytes, DEMO_ARCHS, type DemoArch } from './train/demo-model.js';
export { toTensors, predictClasses, accuracy, type Split } from './train/tensors.js';
export { fitWithProgress, type FitOptions } from './train/fit.js';
export { runTflite, agreement, type AgreementReport, type DeployedRun } from './deploy/run-tflite.js';
export { checkAgreement, AGREEMENT_RULE, type AgreementRule, type AgreementVerdict } from './deploy/check-agreement.js';
export { writeFileAtomic } from './io/atomic-write.js';
