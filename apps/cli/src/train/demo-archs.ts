/** The demo's architectures: the quick CNN, and two reference architectures from @qatkit/models. */
export const DEMO_ARCHS = ['cnn', 'mobilenetv2', 'resnet'] as const;
export type DemoArch = (typeof DEMO_ARCHS)[number];
