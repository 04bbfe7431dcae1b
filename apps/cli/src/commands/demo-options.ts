import type { DemoArch } from '../train/demo-archs.js';

// The demo's options and defaults, apart from the training code so that registering the command
// (and running any other command) does not load tfjs.

export interface DemoOptions {
  readonly arch: DemoArch;
  readonly data?: string;
  readonly out: string;
  readonly backend: 'wasm' | 'cpu' | 'tensorflow';
  readonly epochs: number;
  readonly qatEpochs: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly batchSize: number;
}

export const DEMO_DEFAULTS: DemoOptions = { arch: 'cnn', out: 'qatkit-demo', backend: 'wasm', epochs: 5, qatEpochs: 1, trainSize: 12000, testSize: 10000, batchSize: 64 };

/**
 * Float-training budget per architecture when --epochs / --train-size are not given: the
 * reference architectures cost 5–10× the CNN per step, and the demo should stay a few minutes.
 */
export const ARCH_BUDGET: Readonly<Record<DemoArch, { readonly epochs: number; readonly trainSize: number }>> = {
  cnn: { epochs: DEMO_DEFAULTS.epochs, trainSize: DEMO_DEFAULTS.trainSize },
  mobilenetv2: { epochs: 3, trainSize: 8000 },
  resnet: { epochs: 2, trainSize: 6000 },
};
