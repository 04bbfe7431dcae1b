import { QatkitError } from '../errors.js';
import type { IoType } from './exporter.js';
import type { TargetProfile } from './target.js';

/** What quantization and export must do so the model checks clean on every given target. */
export interface QuantizationPlan {
  /** Options for the scheme, e.g. `default8bit(plan.scheme)`: per-axis weights only when every target takes them well. */
  readonly scheme: { readonly perAxis: boolean };
  /** Options for the exporter, e.g. `quantizer.export(graph, 'tflite', plan.export)`: the best I/O type all targets take. */
  readonly export: { readonly io: IoType };
  /** The model's batch size must not exceed this (absent: any). */
  readonly batch?: number;
  /** Activation widths every target accelerates. */
  readonly activationBits: readonly (8 | 16)[];
  /** Each requirement with the target and rule it comes from. */
  readonly because: readonly string[];
}

const ALL_IO: readonly IoType[] = ['float32', 'int8', 'uint8'];

/**
 * Merges the targets' requirements: per-tensor weights if any target wants them, the first I/O type
 * (in the first target's order of preference) that all take, the smallest batch limit. No targets:
 * the defaults (per-axis weights, float32 I/O). Targets with nothing in common throw INVALID_OPTION.
 */
export function quantizationFor(targets: readonly Pick<TargetProfile, 'name' | 'requirements'>[]): QuantizationPlan {
  if (targets.length === 0) return { scheme: { perAxis: true }, export: { io: 'float32' }, activationBits: [8, 16], because: [] };
  const io = targets.reduce<readonly IoType[]>((acc, t) => acc.filter((x) => t.requirements.io.includes(x)), targets[0]!.requirements.io.length > 0 ? targets[0]!.requirements.io : ALL_IO);
  if (io.length === 0) {
    const each = targets.map((t) => `${t.name}: ${t.requirements.io.join('|')}`).join('; ');
    throw new QatkitError('INVALID_OPTION', `the targets share no model I/O type (${each}); check them in separate exports`);
  }
  const activationBits = targets.reduce<readonly (8 | 16)[]>((acc, t) => acc.filter((b) => t.requirements.activationBits.includes(b)), [8, 16]);
  if (activationBits.length === 0) throw new QatkitError('INVALID_OPTION', `the targets share no activation width (${targets.map((t) => `${t.name}: ${t.requirements.activationBits.join('|')}`).join('; ')})`);
  const batches = targets.map((t) => t.requirements.batch).filter((b): b is number => b !== undefined);
  const perAxis = targets.every((t) => t.requirements.perAxisWeights);
  const because = targets.flatMap((t) => t.requirements.because.map((why) => `${t.name}: ${why}`));
  return {
    scheme: { perAxis },
    export: { io: io[0]! },
    ...(batches.length > 0 ? { batch: Math.min(...batches) } : {}),
    activationBits,
    because,
  };
}
