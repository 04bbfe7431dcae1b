export { mobilenetV1, MOBILENET_V1_BLOCKS, type MobilenetV1Options } from './mobilenet-v1.js';
export { mobilenetV2, makeDivisible, MOBILENET_V2_STAGES, type MobilenetV2Options } from './mobilenet-v2.js';
export { resnet, resnetStages, RESNET_DEPTHS, type ResnetDepth, type ResnetOptions } from './resnet.js';
export { layerSeed } from './builder.js';
export { DEFAULT_SEED, type CommonOptions, type InputShape, type TopOptions } from './options.js';
export { fashionCnn, floatWeightBytes, type FashionCnnOptions } from './fashion-cnn.js';
