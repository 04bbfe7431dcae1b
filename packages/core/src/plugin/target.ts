import type { Graph } from '../ir/types.js';

export type Placement = 'accelerator' | 'cpu';

export interface OpVerdict {
  readonly op: string;
  readonly kind: string;
  readonly placement: Placement;
  /** Why it falls back, with the source of the rule; empty when it runs on the accelerator. */
  readonly reasons: readonly string[];
}

export interface TargetReport {
  readonly target: string;
  readonly ops: readonly OpVerdict[];
}

/** A deployment target (EdgeTPU, NNAPI, …): says op by op what runs where, and why. */
export interface TargetProfile {
  readonly name: string;
  check(graph: Graph): TargetReport;
}
