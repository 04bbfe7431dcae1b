import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQatkitError } from '@qatkit/core';
import { mobilenetV1 } from './mobilenet-v1.js';
import { mobilenetV2 } from './mobilenet-v2.js';
import { resnet, type ResnetOptions } from './resnet.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The INVALID_OPTION message `build` throws (it must throw one). */
function invalidOption(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    if (isQatkitError(e, 'INVALID_OPTION')) return e.message;
    throw e;
  }
  throw new Error('expected an INVALID_OPTION error');
}

// Options as a user without TypeScript might pass them.
const loose = <T>(o: Record<string, unknown>) => o as unknown as T;
const v2 = (o: Record<string, unknown>) => () => mobilenetV2(loose({ alpha: 0.35, inputShape: [32, 32, 3], classes: 10, ...o }));
const v1 = (o: Record<string, unknown>) => () => mobilenetV1(loose({ alpha: 0.25, inputShape: [32, 32, 3], classes: 10, ...o }));
const rn = (o: Record<string, unknown>) => () => resnet(loose<ResnetOptions>({ depth: 20, inputShape: [8, 8, 1], classes: 10, ...o }));

describe('option validation', () => {
  it('rejects width multipliers that are not > 0', () => {
    expect(invalidOption(v2({ alpha: 0 }))).toBe('mobilenetV2: alpha must be a number > 0; got 0');
    expect(invalidOption(v1({ alpha: -1 }))).toBe('mobilenetV1: alpha must be a number > 0; got -1');
    expect(invalidOption(v2({ alpha: Number.NaN }))).toMatch(/alpha must be a number > 0; got NaN/);
    expect(invalidOption(v2({ alpha: '1' }))).toMatch(/alpha must be a number > 0; got "1"/);
    expect(invalidOption(rn({ width: 0 }))).toBe('resnet: width must be a number > 0; got 0');
    // MobileNet v1 truncates: alpha 0.01 would leave the stem with int(32 · 0.01) = 0 channels
    expect(invalidOption(v1({ alpha: 0.01 }))).toMatch(/alpha must be large enough to give every layer a channel/);
  });

  it('rejects input shapes that are not [h, w, c] with h, w ≥ 32 for the MobileNets', () => {
    const message = 'mobilenetV2: inputShape must be [height, width, channels] of positive integers with height and width ≥ 32 (channels last, no batch dimension); got [31, 32, 3]';
    expect(invalidOption(v2({ inputShape: [31, 32, 3] }))).toBe(message);
    expect(invalidOption(v1({ inputShape: [32, 32] }))).toMatch(/inputShape must be \[height, width, channels\].*got \[32, 32\]$/);
    expect(invalidOption(v1({ inputShape: [1, 32, 32, 3] }))).toMatch(/got \[1, 32, 32, 3\]$/);
    expect(invalidOption(v2({ inputShape: [32, 32, 0] }))).toMatch(/got \[32, 32, 0\]$/);
    expect(invalidOption(v2({ inputShape: [32.5, 32, 3] }))).toMatch(/got \[32.5, 32, 3\]$/);
    expect(invalidOption(rn({ inputShape: undefined }))).toMatch(/^resnet: inputShape must be \[height, width, channels\] of positive integers \(/);
  });

  it('rejects classes < 1 or missing with the classifier', () => {
    expect(invalidOption(v2({ classes: 0 }))).toBe('mobilenetV2: classes must be an integer ≥ 1; got 0');
    expect(invalidOption(rn({ classes: 2.5 }))).toBe('resnet: classes must be an integer ≥ 1; got 2.5');
    expect(invalidOption(v1({ classes: undefined }))).toBe('mobilenetV1: classes must be an integer ≥ 1; got undefined');
    expect(invalidOption(v1({ includeTop: 'no' }))).toBe('mobilenetV1: includeTop must be true or false; got "no"');
    const headless = rn({ classes: undefined, includeTop: false })() as tf.LayersModel;
    expect(headless.outputs[0]!.shape).toEqual([null, 2, 2, 64]);
    headless.dispose();
  });

  it('rejects unsupported depths, bad dropout rates, seeds and names', () => {
    expect(invalidOption(rn({ depth: 19 }))).toBe('resnet: depth must be one of 18, 20, 32, 34, 44, 56, 110; got 19');
    expect(invalidOption(v1({ dropout: 1 }))).toBe('mobilenetV1: dropout must be a number in [0, 1); got 1');
    expect(invalidOption(rn({ seed: 0.5 }))).toBe('resnet: seed must be an integer; got 0.5');
    expect(invalidOption(v2({ name: 'my model' }))).toMatch(/^mobilenetV2: name must be letters, digits, .* got "my model"$/);
  });
});

describe('option types', () => {
  it('take includeTop as a boolean with classes, or false without', () => {
    const flag: boolean = Math.random() > 2;
    const withFlag = resnet({ depth: 20, inputShape: [8, 8, 1], classes: 3, includeTop: flag });
    expect(withFlag.outputs[0]!.shape).toEqual([null, 2, 2, 64]);
    // @ts-expect-error classes is required with the classifier
    expect(() => resnet({ depth: 20, inputShape: [8, 8, 1] })).toThrow(/classes must be an integer/);
    withFlag.dispose();
  });
});

describe('batchNormMomentum', () => {
  it('sets every BatchNormalization momentum, and is validated', () => {
    const model = resnet({ depth: 20, inputShape: [8, 8, 1], classes: 2, batchNormMomentum: 0.9 });
    const bns = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    expect(bns.length).toBeGreaterThan(0);
    expect(bns.every((l) => l.getConfig()['momentum'] === 0.9)).toBe(true);
    expect(() => resnet({ depth: 20, inputShape: [8, 8, 1], classes: 2, batchNormMomentum: 1 })).toThrow('resnet: batchNormMomentum must be a number in [0, 1); got 1');
  });
});
