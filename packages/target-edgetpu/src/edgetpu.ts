import { QatkitError, runProfile, type Finding, type OpVerdict, type ProfileTables, type TargetModel, type TargetProfile } from '@qatkit/core';
import { GENERAL, type EdgeTpuConfig } from './general.js';
import { OPS } from './ops.js';
import { S } from './sources.js';

export interface EdgeTpuOptions {
  /** Edge TPU runtime the model is compiled for: 10–14 (default 14, edgetpu_compiler 16's default). */
  readonly runtime?: number;
}

/** The Edge TPU profile as data: general rules, the op table, and the compiler's single segment. */
export const EDGETPU_TABLES: ProfileTables<EdgeTpuConfig> = {
  general: GENERAL,
  ops: OPS,
  unlisted: {
    id: 'CORAL-UNLISTED',
    rule: 'The model may only use the supported operations; any other operation runs on the CPU.',
    status: 'Operation not supported',
    fix: 'replace the op with one from the supported-operations table, or accept the CPU fallback (and everything after it)',
    source: `${S.modelsIntro}; ${S.axisOps}`,
    confidence: 'SEC',
  },
  partitioning: {
    kind: 'single-segment',
    rule: "The Edge-TPU compiler cannot partition the model more than once, so if the model has an operator that can't be run on the DLPU, the unsupported operator and every operator after it runs on the CPU.",
    status: 'More than one subgraph is not supported',
    source: `${S.axisTips}; status line in ${S.issue(75)}, ${S.issue(225)}`,
    confidence: 'SEC',
  },
  acceleratedStatus: 'Mapped to Edge TPU',
  levelName: 'Edge TPU runtime',
};

/** About 8 MB of SRAM caches parameters; compiler logs show 7.0–7.5 MiB usable. */
const ON_CHIP_BYTES = 7 * 1024 * 1024;

function notes(model: TargetModel, ops: readonly OpVerdict[]): Finding[] {
  const seen = new Set<string>();
  let bytes = 0;
  for (const v of ops) {
    if (v.placement !== 'accelerator') continue;
    const sg = model.subgraphs[v.subgraph]!;
    for (const t of sg.operators[v.index]!.inputs) {
      const tensor = sg.tensors[t];
      if (t < 0 || !tensor?.hasData || seen.has(`${v.subgraph}:${t}`)) continue;
      seen.add(`${v.subgraph}:${t}`);
      bytes += tensor.dataLength ?? 0;
    }
  }
  if (bytes === 0) return [];
  const mib = (bytes / 1024 / 1024).toFixed(2);
  const cache = { id: 'CORAL-G10', rule: 'On-chip memory: roughly 8 MB of SRAM caches parameter data; parameters that do not fit are streamed from host memory, which is slower.', source: S.compiler, confidence: 'SEC' as const };
  return [
    bytes > ON_CHIP_BYTES
      ? { ...cache, effect: 'warn', values: `${mib} MiB of parameters on the Edge TPU > ~7 MiB usable: the rest is streamed each inference`, fix: 'shrink the model (width multiplier, pruning) or split it across Edge TPUs (edgetpu_compiler --num_segments)' }
      : { ...cache, effect: 'info', values: `${mib} MiB of parameters on the Edge TPU: fits the ~7 MiB usable on chip` },
  ];
}

/**
 * Google Coral Edge TPU, as edgetpu_compiler maps a full-integer .tflite: one Edge TPU segment from
 * the inputs up to the first unsupported op, int8/uint8 only, at most 3 non-unit dimensions.
 */
export function edgetpu(options: EdgeTpuOptions = {}): TargetProfile {
  const runtime = options.runtime ?? 14;
  if (!Number.isInteger(runtime) || runtime < 10 || runtime > 14) {
    throw new QatkitError('INVALID_OPTION', `edgetpu: runtime must be an Edge TPU runtime version from 10 to 14, got ${String(options.runtime)}`);
  }
  const settings = { runtime };
  const title = `Coral Edge TPU (runtime ${runtime}${runtime === 14 ? ', edgetpu_compiler 16' : ''})`;
  const profile: TargetProfile = {
    name: 'edgetpu',
    title,
    settings,
    requirements: {
      perAxisWeights: true,
      io: ['int8', 'uint8'],
      batch: 1,
      activationBits: [8],
      because: ['CORAL-G9: float I/O leaves QUANTIZE/DEQUANTIZE on the CPU', 'CORAL-G4: batch 1', 'CORAL-G7: int8 activations only', 'CORAL-G8: per-channel weights are accepted'],
    },
    check: (model: TargetModel) => runProfile(model, EDGETPU_TABLES, { name: 'edgetpu', title, settings, config: { runtime }, level: runtime, notes }),
  };
  return Object.freeze(profile);
}
