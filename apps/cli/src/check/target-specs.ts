import { isQatkitError, type TargetProfile } from '@qatkit/core';
import { edgetpu } from '@qatkit/target-edgetpu';
import { ACCELERATORS, ethosU } from '@qatkit/target-ethos-u';
import { imx8mp } from '@qatkit/target-imx8mp';
import { nnapi } from '@qatkit/target-nnapi';
import { UsageError } from '../cli/usage.js';

/** A `--target` value: a name and, after a colon, its one setting. */
interface TargetKind {
  readonly name: string;
  readonly setting: string;
  readonly make: (setting: string | undefined) => TargetProfile;
}

const integer = (what: string, value: string): number => {
  if (!/^\d+$/.test(value)) throw new UsageError(`--target: ${what} must be a whole number, got "${value}"`);
  return Number(value);
};

/** The targets `qatkit check` knows, as data: add a row to add a target. */
export const TARGET_KINDS: readonly TargetKind[] = [
  { name: 'edgetpu', setting: 'Edge TPU runtime 10–14 (default 14)', make: (s) => edgetpu(s === undefined ? {} : { runtime: integer('the Edge TPU runtime', s) }) },
  { name: 'nnapi', setting: 'Android API level 27–35 (default 30)', make: (s) => nnapi(s === undefined ? {} : { apiLevel: integer('the Android API level', s) }) },
  { name: 'imx8mp', setting: 'none', make: (s) => {
    if (s !== undefined) throw new UsageError(`--target imx8mp takes no setting, got "imx8mp:${s}"`);
    return imx8mp();
  } },
  { name: 'ethos-u', setting: `Vela accelerator: ${ACCELERATORS.map((a) => a.replace('ethos-', '')).join(', ')} (default u55-256)`, make: (s) => ethosU(s === undefined ? {} : { accelerator: s.startsWith('ethos-') ? s : `ethos-${s}` }) },
];

/** What `--target` defaults to: every target, NNAPI at API 30. */
export const DEFAULT_TARGETS: readonly string[] = ['edgetpu', 'nnapi:30', 'imx8mp', 'ethos-u'];

export const TARGETS_HELP = TARGET_KINDS.map((k) => `  ${k.name.padEnd(8)} ${k.name}:<setting>, setting: ${k.setting}`).join('\n');

/** `nnapi:29` → the NNAPI profile at API 29; an unknown name or a bad setting is a UsageError. */
export function parseTarget(spec: string): TargetProfile {
  const [name, setting, ...rest] = spec.trim().split(':');
  const kind = TARGET_KINDS.find((k) => k.name === name?.toLowerCase());
  if (!kind || rest.length > 0 || setting === '') {
    const names = TARGET_KINDS.map((k) => k.name).join(', ');
    throw new UsageError(`--target must be one of ${names}, optionally with ":<setting>" (e.g. nnapi:30), got "${spec}"`);
  }
  try {
    return kind.make(setting);
  } catch (err) {
    if (isQatkitError(err, 'INVALID_OPTION')) throw new UsageError(`--target ${spec}: ${err.message}`);
    throw err;
  }
}
