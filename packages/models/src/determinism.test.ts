import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerSeed } from './builder.js';
import { mobilenetV1 } from './mobilenet-v1.js';
import { mobilenetV2 } from './mobilenet-v2.js';
import { resnet } from './resnet.js';
import { predictTwo } from './test-utils/graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BUILDS = {
  mobilenetV1: (seed?: number) => mobilenetV1({ alpha: 0.25, inputShape: [32, 32, 3], classes: 4, seed }),
  mobilenetV2: (seed?: number) => mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 1], classes: 10, seed }),
  resnet20: (seed?: number) => resnet({ depth: 20, inputShape: [28, 28, 1], classes: 10, seed }),
};

const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

/** Saves to memory with tf.io and loads the model back, as a user would with files or IndexedDB. */
async function roundTrip(model: tf.LayersModel): Promise<{ loaded: tf.LayersModel; artifacts: tf.io.ModelArtifacts }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { loaded: await tf.loadLayersModel(tf.io.fromMemory(artifacts!)), artifacts: artifacts! };
}

describe.each(Object.entries(BUILDS))('%s', (_, build) => {
  it('has identical weights for the same seed, and different ones for another seed', () => {
    const [a, b, c] = [build(), build(), build(2)];
    const [wa, wb, wc] = [a, b, c].map(weightsOf);
    expect(wb).toEqual(wa);
    expect(wc).not.toEqual(wa);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('survives a tf.io save → load round trip: same names, same weights, same predictions', async () => {
    const model = build();
    const { loaded, artifacts } = await roundTrip(model);
    expect(loaded.name).toBe(model.name);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(artifacts.weightSpecs!.map((w) => w.name)).toEqual(model.weights.map((w) => w.originalName));
    expect(weightsOf(loaded)).toEqual(weightsOf(model));
    expect(predictTwo(loaded).rows).toEqual(predictTwo(model).rows);
    model.dispose();
    loaded.dispose();
  });

  it('uses only letters, digits and underscores in layer names (nothing tfjs rewrites)', () => {
    const model = build();
    for (const layer of model.layers) expect(layer.name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    model.dispose();
  });
});

describe('layer seeds', () => {
  it('differ between layers, so same-shaped kernels start differently', () => {
    const model = mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], includeTop: false });
    const [k4, k5] = ['block_4_project', 'block_5_project'].map((n) => model.getLayer(n).getWeights()[0]!);
    expect(k4!.shape).toEqual(k5!.shape);
    expect(Array.from(k4!.dataSync())).not.toEqual(Array.from(k5!.dataSync()));
    model.dispose();
  });

  it('are deterministic 32-bit integers, never 0 (which tfjs would treat as unseeded)', () => {
    expect(layerSeed(1, 'Conv1')).toBe(layerSeed(1, 'Conv1'));
    expect(layerSeed(1, 'Conv1')).not.toBe(layerSeed(2, 'Conv1'));
    for (const name of ['a', 'b', 'conv_dw_1', 'block_16_project']) {
      const s = layerSeed(0, name);
      expect(Number.isInteger(s) && s > 0 && s < 2 ** 32).toBe(true);
    }
  });
});
