// Options shared by the architectures, and their validation: every bad value is a
// QatkitError('INVALID_OPTION') that names the option, the value and what is accepted.
import { QatkitError } from '@qatkit/core';

/** `[height, width, channels]`, channels last, without the batch dimension. */
export type InputShape = readonly [height: number, width: number, channels: number];

/** With the classifier (the default), `classes` is required; without it the model ends at the last feature map. */
export type TopOptions = { readonly includeTop?: boolean; readonly classes: number } | { readonly includeTop: false; readonly classes?: number };

export interface CommonOptions {
  readonly inputShape: InputShape;
  /** The model's name; each architecture has a Keras-like default (`mobilenetv2_0.35_96`, `resnet20`). */
  readonly name?: string;
  /**
   * Seeds every weight initializer (and dropout): two builds with the same options have identical
   * weights. Each layer gets its own seed derived from this one and its name. Default 1.
   */
  readonly seed?: number;
  /**
   * BatchNormalization momentum (default: the architecture's Keras value, 0.99 or 0.999). Short
   * trainings want less, e.g. 0.9: with 0.999 the moving statistics keep 69% of their initial
   * values after 375 steps, and inference-mode outputs are still off.
   */
  readonly batchNormMomentum?: number;
}

export const DEFAULT_SEED = 1;

/** What tfjs accepts as a layer or weight name (tfjs-layers `isValidTensorName`). */
const TFJS_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

const show = (value: unknown): string => (Array.isArray(value) ? `[${value.map(show).join(', ')}]` : typeof value === 'string' ? `"${value}"` : String(value));

function invalid(model: string, option: string, value: unknown, expected: string): QatkitError {
  return new QatkitError('INVALID_OPTION', `${model}: ${option} must be ${expected}; got ${show(value)}`);
}

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/** A multiplier such as MobileNet's alpha or ResNet's width: a finite number > 0. */
export function checkMultiplier(model: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(model, option, value, 'a number > 0');
  return value;
}

/** `[h, w, c]` of positive integers with `h, w ≥ minSide`. */
export function checkInputShape(model: string, value: unknown, minSide: number): InputShape {
  const ok =
    Array.isArray(value) &&
    value.length === 3 &&
    value.every(isPositiveInteger) &&
    value[0] >= minSide &&
    value[1] >= minSide;
  if (!ok) {
    const sides = minSide > 1 ? ` with height and width ≥ ${minSide}` : '';
    throw invalid(model, 'inputShape', value, `[height, width, channels] of positive integers${sides} (channels last, no batch dimension)`);
  }
  return value as unknown as InputShape;
}

/** `classes` when the classifier is included, else `undefined`. */
export function checkTop(model: string, options: TopOptions): number | undefined {
  const includeTop = options.includeTop ?? true;
  if (typeof includeTop !== 'boolean') throw invalid(model, 'includeTop', includeTop, 'true or false');
  if (!includeTop && options.classes === undefined) return undefined;
  if (!isPositiveInteger(options.classes)) throw invalid(model, 'classes', options.classes, 'an integer ≥ 1');
  return includeTop ? options.classes : undefined;
}

export function checkCommon(model: string, options: CommonOptions, defaultName: () => string): { name: string; seed: number; batchNormMomentum?: number } {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw invalid(model, 'seed', seed, 'an integer');
  const m = options.batchNormMomentum;
  if (m !== undefined && !(typeof m === 'number' && m >= 0 && m < 1)) throw invalid(model, 'batchNormMomentum', m, 'a number in [0, 1)');
  const name = options.name ?? defaultName();
  if (typeof name !== 'string' || !TFJS_NAME.test(name)) {
    throw invalid(model, 'name', name, 'letters, digits, ".", "_", "-" or "/", starting with a letter or digit');
  }
  return { name, seed, ...(m === undefined ? {} : { batchNormMomentum: m }) };
}

export function checkRate(model: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw invalid(model, option, value, 'a number in [0, 1)');
  return value;
}

export function checkOneOf<T>(model: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw invalid(model, option, value, `one of ${allowed.join(', ')}`);
  return value as T;
}

/** Guards the channel arithmetic: a multiplier so small that a layer would get no channels. */
export function checkChannels(model: string, option: string, value: number, channels: number): number {
  if (channels < 1) throw invalid(model, option, value, `large enough to give every layer a channel (one layer gets ${channels})`);
  return channels;
}
