import { runProfile, type Finding, type ProfileTables, type TargetModel, type TargetProfile } from '@qatkit/core';
import { GENERAL, OP_MAP, type Imx8mpConfig } from './general.js';
import { OPS } from './ops.js';

const DELEGATE = 'github.com/nxp-imx/tflite-vx-delegate-imx @ 44aab8a delegate_main.cc (PrepareDelegate)';

export const IMX8MP_TABLES: ProfileTables<Imx8mpConfig> = {
  general: GENERAL,
  ops: OPS,
  unlisted: {
    id: 'VX-UNLISTED',
    rule: 'Ops the VX delegate does not register run on the TFLite CPU kernels.',
    status: 'Fallback unsupported op to TfLite',
    fix: 'replace the op with one the VX delegate registers, or accept the CPU fallback',
    source: `${OP_MAP} (op_status.md is stale; op_map.cc is the list)`,
    confidence: 'SRC',
  },
  partitioning: {
    kind: 'unlimited',
    rule: 'PrepareDelegate collects every supported node and replaces each connected run with a delegate kernel: any number of NPU partitions, each its own compiled NPU graph with CPU↔NPU copies at the boundaries.',
    source: DELEGATE,
    confidence: 'SRC',
  },
  acceleratedStatus: 'delegated to the NPU (VX delegate)',
};

const NOTES: readonly Finding[] = [
  {
    id: 'VX-G9',
    rule: 'The NPU graph is compiled on the first Invoke (a one-time CPU cost that can take minutes for big models); the VX delegate cache mode stores the compiled graph.',
    effect: 'info',
    values: 'first inference includes graph compilation',
    fix: 'enable allowed_cache_mode:true;cache_file_path:<file> (NXP AN12964 "i.MX 8M Plus NPU Warmup Time")',
    source: `github.com/nxp-imx/tflite-vx-delegate-imx README and vx_delegate_adaptor.cc; VeriSilicon/TIM-VX#287, #14`,
    confidence: 'SRC',
  },
  {
    id: 'VX-G11',
    rule: "On Android BSPs the i.MX 8M Plus NPU is reached through NNAPI (NXP's NN HAL): the NNAPI delegate's rules apply first.",
    effect: 'info',
    values: 'this profile is the Linux VX delegate; on Android check with --target nnapi as well',
    source: 'NXP i.MX TensorFlow Lite on Android User\'s Guide (IMXTFLUG) excerpt',
    confidence: 'SEC',
  },
];

/**
 * NXP i.MX 8M Plus NPU (VeriSilicon VIP8000-class) through the TFLite VX delegate (Linux BSP
 * lf-6.6.3): op_map.cc's checks, unlimited partitions, warnings for per-channel and float work.
 */
export function imx8mp(): TargetProfile {
  const title = 'NXP i.MX 8M Plus NPU (VX delegate, lf-6.6.3)';
  const settings = { delegate: 'vx' };
  const profile: TargetProfile = {
    name: 'imx8mp',
    title,
    settings,
    requirements: {
      perAxisWeights: false,
      io: ['int8', 'uint8', 'float32'],
      activationBits: [8],
      because: ['VX-G4: per-channel weights run much slower than per-tensor', 'VX-G1/VX-G6: int16 activations are not accelerated'],
    },
    check: (model: TargetModel) => runProfile(model, IMX8MP_TABLES, { name: 'imx8mp', title, settings, config: {}, notes: () => NOTES }),
  };
  return Object.freeze(profile);
}
