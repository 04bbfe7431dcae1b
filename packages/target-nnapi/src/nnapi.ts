import { QatkitError, runProfile, type Finding, type OpVerdict, type ProfileTables, type TargetModel, type TargetProfile } from '@qatkit/core';
import { GENERAL } from './general.js';
import { CORE_OPS } from './ops-core.js';
import { MORE_OPS } from './ops-more.js';
import { src, VALIDATE, type NnapiConfig } from './rules.js';

export interface NnapiOptions {
  /** Android API level 27–35 (Android 8.1 to 15); the delegate's target feature level. Default 30 (Android 11). */
  readonly apiLevel?: number;
  /** The delegate's max_number_delegated_partitions (default 3; 0 or less: unlimited). */
  readonly maxPartitions?: number;
}

const HEADER = 'tensorflow/lite/delegates/nnapi/nnapi_delegate.h @ 010f3edc (Options defaults)';
const MIGRATION = 'developer.android.com/ndk/guides/neuralnetworks/migration-guide; tensorflow.org/lite/performance/nnapi';

export function nnapiTables(maxPartitions: number): ProfileTables<NnapiConfig> {
  return {
    general: GENERAL,
    ops: [...CORE_OPS, ...MORE_OPS],
    unlisted: { id: 'NN-UNLISTED', rule: 'Unsupported operation type.', status: 'Unsupported operation type.', fix: 'replace the op with one the NNAPI delegate validates, or accept the CPU fallback', ...src },
    partitioning: {
      kind: 'largest',
      maxPartitions,
      rule: `Every node that passes Validate is a candidate; LimitDelegatedPartitions keeps only the ${maxPartitions > 0 ? maxPartitions : 'unlimited'} largest partitions by node count (max_number_delegated_partitions, default 3).`,
      status: 'not among the largest delegated partitions',
      source: `${VALIDATE}; ${HEADER}`,
      confidence: 'SRC',
    },
    acceleratedStatus: 'delegated to NNAPI',
    levelName: 'Android API level',
  };
}

function notes(api: number) {
  return (model: TargetModel, ops: readonly OpVerdict[]): Finding[] => {
    const out: Finding[] = [
      {
        id: 'NN-G13',
        rule: 'NNAPI is deprecated in Android 15; Google steers apps to LiteRT in Play Services with the GPU delegate.',
        effect: api >= 35 ? 'warn' : 'info',
        values: api >= 35 ? `API ${api}: NNAPI is deprecated on this Android version` : `API ${api}; NNAPI is deprecated from API 35 (Android 15)`,
        fix: 'plan a LiteRT (GPU delegate or vendor delegate) path for Android 15+',
        source: MIGRATION,
        confidence: 'SEC',
      },
      {
        id: 'NN-G10',
        rule: 'Validate is necessary but not sufficient: from API 29 the delegate asks the SoC driver (getSupportedOperationsForDevices) and keeps only the ops it supports.',
        effect: 'info',
        values: 'placements say what the NNAPI delegate hands over; the device driver may still run some on its CPU',
        source: `${VALIDATE} (GetNodesSupportedByAccelerator); ${HEADER}`,
        confidence: 'SRC',
      },
    ];
    const fp16 = model.subgraphs.some((sg) => sg.tensors.some((t) => t.type === 'FLOAT16'));
    if (fp16 && ops.some((o) => o.placement !== 'accelerator')) {
      out.push({ id: 'NN-G12', rule: 'Only allow full model delegation for fp16 model', effect: 'warn', values: 'float16 weights and not every op delegated: the delegate takes nothing', source: VALIDATE, confidence: 'SRC' });
    }
    return out;
  };
}

/**
 * Android NNAPI through the TFLite NNAPI delegate at one API level: the delegate's Validate rules
 * (op versions, types per level, constant operands), and its N-largest-partitions limit.
 */
export function nnapi(options: NnapiOptions = {}): TargetProfile {
  const api = options.apiLevel ?? 30;
  const maxPartitions = options.maxPartitions ?? 3;
  if (!Number.isInteger(api) || api < 27 || api > 35) {
    throw new QatkitError('INVALID_OPTION', `nnapi: apiLevel must be an Android API level from 27 (NNAPI 1.0) to 35, got ${String(options.apiLevel)}`);
  }
  if (!Number.isInteger(maxPartitions)) throw new QatkitError('INVALID_OPTION', `nnapi: maxPartitions must be an integer, got ${String(maxPartitions)}`);
  const settings = { apiLevel: api, maxPartitions };
  const title = `Android NNAPI (API ${api}${api >= 35 ? ', deprecated' : ''})`;
  const tables = nnapiTables(maxPartitions);
  const profile: TargetProfile = {
    name: 'nnapi',
    title,
    settings,
    requirements: {
      perAxisWeights: api >= 29,
      io: api >= 30 ? ['int8', 'uint8', 'float32'] : ['uint8'],
      activationBits: [8],
      because: [
        api >= 29 ? 'NN-G4: per-channel weights from API 29' : 'NN-G4: no per-channel convolution before API 29',
        api >= 30 ? 'NN-G3: int8 tensors are native from API 30' : 'NN-G3/QUANTIZE: uint8 I/O below API 30',
      ],
    },
    check: (model: TargetModel) => runProfile(model, tables, { name: 'nnapi', title, settings, config: { api }, level: api, notes: notes(api) }),
  };
  return Object.freeze(profile);
}
