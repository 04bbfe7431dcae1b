// The study's variants and budgets as data, apart from the training code: the report and the
// command's help read them without loading tfjs.

export const STUDY_ARCHS = ['cnn', 'mobilenetv2'] as const;
export type StudyArch = (typeof STUDY_ARCHS)[number];

export const PTQ_STUDY_METHODS = ['minmax', 'ema', 'percentile', 'mse'] as const;

/** One row of the study: how the deployed model was made. */
export type Variant =
  | { readonly kind: 'float' }
  | { readonly kind: 'float-finetune' }
  | { readonly kind: 'ptq'; readonly method: (typeof PTQ_STUDY_METHODS)[number] }
  /** PTQ of the float model fine-tuned as long as QAT trains: the same training budget as QAT. */
  | { readonly kind: 'ptq-finetune'; readonly method: (typeof PTQ_STUDY_METHODS)[number] }
  | { readonly kind: 'qat'; readonly weightBits: 8 | 4 | 2 };

export const VARIANTS: readonly Variant[] = [
  { kind: 'float' },
  { kind: 'float-finetune' },
  ...PTQ_STUDY_METHODS.map((method) => ({ kind: 'ptq' as const, method })),
  ...PTQ_STUDY_METHODS.map((method) => ({ kind: 'ptq-finetune' as const, method })),
  { kind: 'qat', weightBits: 8 },
  { kind: 'qat', weightBits: 4 },
  { kind: 'qat', weightBits: 2 },
];

export function variantLabel(v: Variant, budget?: Pick<Budget, 'qatEpochs'>): string {
  switch (v.kind) {
    case 'float':
      return 'float32';
    case 'float-finetune':
      return budget ? `float32, +${budget.qatEpochs} fine-tuning epoch${budget.qatEpochs > 1 ? 's' : ''}` : 'float32, fine-tuned';
    case 'ptq':
      return `PTQ int8, ${methodLabel(v.method)}`;
    case 'ptq-finetune':
      return `PTQ int8 of float ${budget ? `+${budget.qatEpochs} epoch${budget.qatEpochs > 1 ? 's' : ''}` : 'fine-tuned'}, ${methodLabel(v.method)}`;
    case 'qat':
      return v.weightBits === 8 ? 'QAT int8' : `QAT ${v.weightBits}-bit weights, int8 activations`;
  }
}

function methodLabel(method: (typeof PTQ_STUDY_METHODS)[number]): string {
  return method === 'percentile' ? `percentile ${STUDY_PERCENTILE}` : method;
}

/** Short names for the plot's legend. */
export function variantShort(v: Variant): string {
  if (v.kind === 'float') return 'float';
  if (v.kind === 'float-finetune') return 'float+ft';
  if (v.kind === 'ptq') return `PTQ ${v.method === 'percentile' ? 'pct' : v.method}`;
  if (v.kind === 'ptq-finetune') return `float+ft PTQ ${v.method === 'percentile' ? 'pct' : v.method}`;
  return v.weightBits === 8 ? 'QAT int8' : `QAT w${v.weightBits}`;
}

/** The plot's groups of bars (and colour families): float, PTQ of float, PTQ of float + fine-tuning, QAT. */
export type VariantGroup = 'float' | 'ptq' | 'ptq-finetune' | 'qat';

export function variantGroup(v: Variant): VariantGroup {
  return v.kind === 'float-finetune' ? 'float' : v.kind;
}

export const STUDY_PERCENTILE = 99.99;

export interface Budget {
  /** Float training: epochs over `trainSize` images. */
  readonly epochs: number;
  readonly trainSize: number;
  /** QAT fine-tuning epochs (and the float fine-tuning reference's, whose model the ptq-finetune rows quantize). */
  readonly qatEpochs: number;
  readonly testSize: number;
  /** Calibration images for PTQ (and the QAT starting ranges), from the training split. */
  readonly calibrationSize: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly qatLearningRate: number;
}

/**
 * Budgets sized for this project's 2-core machine. MobileNetV2 gets less than `qatkit demo
 * --arch mobilenetv2` (3 epochs on 8,000 images, ~450 s) because the study trains it four more
 * times (float reference and three QAT runs; the ptq-finetune rows reuse the float reference).
 */
export const STUDY_BUDGET: Readonly<Record<StudyArch, Budget>> = {
  cnn: { epochs: 5, trainSize: 10000, qatEpochs: 1, testSize: 2000, calibrationSize: 512, batchSize: 64, learningRate: 2e-3, qatLearningRate: 2e-4 },
  mobilenetv2: { epochs: 2, trainSize: 5000, qatEpochs: 1, testSize: 2000, calibrationSize: 512, batchSize: 64, learningRate: 2e-3, qatLearningRate: 2e-4 },
};

/** A smaller budget for a smoke run (`qatkit study --quick`): minutes, not the study's figures. */
export function quickBudget(b: Budget): Budget {
  return { ...b, epochs: 1, trainSize: Math.min(b.trainSize, 1000), testSize: 200, calibrationSize: 128 };
}

export interface StudyRow {
  readonly arch: StudyArch;
  readonly variant: Variant;
  /** Top-1 accuracy of the deployed model (LiteRT) on the test images. */
  readonly accuracy: number;
  readonly bytes: number;
  /** Share of test images where LiteRT's class equals the tfjs quantized model's predict (integer-exact inference); NaN for float rows. */
  readonly agreement: number;
  readonly seconds: number;
}
