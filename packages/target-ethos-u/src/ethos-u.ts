import { QatkitError, runProfile, type Finding, type ProfileTables, type TargetModel, type TargetProfile } from '@qatkit/core';
import { GENERAL, VELA, type EthosUConfig } from './general.js';
import { OPS } from './ops.js';

export interface EthosUOptions {
  /** Vela accelerator config: ethos-u55-32/64/128/256 or ethos-u65-256/512 (default ethos-u55-256; i.MX 93 is ethos-u65-256). */
  readonly accelerator?: string;
}

export const ACCELERATORS = ['ethos-u55-32', 'ethos-u55-64', 'ethos-u55-128', 'ethos-u55-256', 'ethos-u65-256', 'ethos-u65-512'] as const;

export const ETHOS_U_TABLES: ProfileTables<EthosUConfig> = {
  general: GENERAL,
  ops: OPS,
  unlisted: {
    id: 'VELA-UNLISTED',
    rule: 'Parts of the model that cannot be accelerated are left unchanged and will instead run on the Cortex-M series CPU.',
    status: 'CPU (TensorFlow Lite Micro)',
    fix: 'replace the op with one Vela supports, or accept the Cortex-M fallback (vela --show-cpu-operations lists them)',
    source: `${VELA}; README.md`,
    confidence: 'SRC',
  },
  partitioning: {
    kind: 'unlimited',
    rule: 'Vela replaces each maximal run of NPU-supported operators with an ethos-u custom operator; multiple NPU subgraphs are allowed.',
    source: 'github.com/nxp-imx/ethos-u-vela @ a6f6566 README.md, OPTIONS.md',
    confidence: 'SRC',
  },
  acceleratedStatus: 'NPU (ethos-u custom operator)',
};

const NOTE: Finding = {
  id: 'VELA-VERSION',
  rule: 'Rules of Vela 3.10.0 for Ethos-U55/U65 (Vela 4.x adds the Ethos-U85 and more operators).',
  effect: 'info',
  values: 'check with the Vela version you deploy with: vela --supported-ops-report',
  source: VELA,
  confidence: 'SRC',
};

/** Arm Ethos-U55/U65 as Vela 3.10 compiles a .tflite: 8-bit or 16x8 quantized ops on the NPU, the rest on the Cortex-M. */
export function ethosU(options: EthosUOptions = {}): TargetProfile {
  const accelerator = options.accelerator ?? 'ethos-u55-256';
  if (!(ACCELERATORS as readonly string[]).includes(accelerator)) {
    throw new QatkitError('INVALID_OPTION', `ethos-u: accelerator must be one of ${ACCELERATORS.join(', ')}, got "${accelerator}"`);
  }
  const title = `Arm ${accelerator.replace('ethos-u', 'Ethos-U').replace(/-(\d+)$/, ' ($1 MACs/cycle)')} (Vela 3.10)`;
  const settings = { accelerator };
  const profile: TargetProfile = {
    name: 'ethos-u',
    title,
    settings,
    requirements: {
      perAxisWeights: true,
      io: ['int8', 'uint8'],
      batch: 1,
      activationBits: [8, 16],
      because: ['VELA-QUANTISED: float I/O (QUANTIZE from float32) stays on the CPU', 'VELA-BATCH: batch 1', 'VELA-PER-AXIS: per-axis weights for convolutions only'],
    },
    check: (model: TargetModel) => runProfile(model, ETHOS_U_TABLES, { name: 'ethos-u', title, settings, config: { accelerator }, notes: () => [NOTE] }),
  };
  return Object.freeze(profile);
}
