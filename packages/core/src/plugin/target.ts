import type { IoType } from './exporter.js';
import type { OpContext, TargetModel } from './target-model.js';

/** How sure we are of a rule: read in the vendor's source, in a vendor-derived secondary source, or not confirmed. */
export type Confidence = 'SRC' | 'SEC' | 'UNCONFIRMED';

/** Where an op runs: on the accelerator, on the CPU (fallback), or nowhere (it makes the whole model fail). */
export type Placement = 'accelerator' | 'cpu' | 'blocks';

/**
 * What breaking a rule does: the op falls back to the CPU, the model is refused, a warning (speed,
 * accuracy: the op stays on the accelerator), or information only (model-level notes).
 */
export type Effect = 'cpu' | 'blocks' | 'warn' | 'info';

export interface Provenance {
  /** Where the rule is written: file and commit, page, or issue. */
  readonly source: string;
  readonly confidence: Confidence;
}

/** A rule broken by one op (or by the model), as reported. */
export interface Finding extends Provenance {
  /** Stable id of the rule, e.g. 'CORAL-G4' or 'NNAPI-CONV_2D-bias'. */
  readonly id: string;
  /** The rule in the vendor's words. */
  readonly rule: string;
  /** What broke it: "tensor rank 5 > 4", "per-channel weights (32 scales)". */
  readonly values: string;
  readonly effect: Effect;
  /** How to fix it: "run QAT with per-tensor weights". */
  readonly fix?: string;
  /** The vendor's own status or log line for this case, when it has one. */
  readonly status?: string;
}

/** One row of a vendor table: a rule, with its test. Profiles are arrays of these (data, not branches). */
export interface TargetRule<C = unknown> extends Provenance {
  readonly id: string;
  readonly rule: string;
  readonly effect: Effect;
  readonly fix?: string;
  readonly status?: string;
  /** The offending values when `op` breaks the rule; `undefined` when it complies. */
  readonly test: (op: OpContext, config: C) => string | undefined;
}

/** An op the accelerator runs, with the rules that narrow it. Ops without a row run on the CPU. */
export interface OpSupportRow<C = unknown> extends Provenance {
  /** TFLite builtin name, or 'CUSTOM:<code>'. */
  readonly opcode: string;
  /** The vendor's name for it, e.g. Coral's "DepthwiseConv2d". */
  readonly name?: string;
  /** First runtime / API level with the op (compared with the profile's level). */
  readonly since?: number;
  /** When `since` is less sure than the row itself (Coral's runtime column). */
  readonly sinceConfidence?: Confidence;
  /** Highest TFLite op version accepted. */
  readonly maxVersion?: number;
  readonly rules?: readonly TargetRule<C>[];
}

/** How the delegate or compiler cuts the graph into accelerator partitions. */
export type PartitioningModel = Provenance & {
  /** The behaviour in the vendor's words. */
  readonly rule: string;
  /** The status given to supported ops the partitioning leaves on the CPU. */
  readonly status?: string;
} & (
    | { readonly kind: 'single-segment' }
    | { readonly kind: 'largest'; readonly maxPartitions: number }
    | { readonly kind: 'unlimited' }
  );

/** The data a profile is made of; `runProfile` turns it into a report. */
export interface ProfileTables<C = unknown> {
  /** Rules every op must meet (types, ranks, quantization). */
  readonly general: readonly TargetRule<C>[];
  readonly ops: readonly OpSupportRow<C>[];
  /** What happens to an op with no row, in the vendor's words. */
  readonly unlisted: Omit<TargetRule<C>, 'test' | 'effect' | 'fix'> & { readonly fix?: string };
  readonly partitioning: PartitioningModel;
  /** The vendor's status for an op on the accelerator, e.g. "Mapped to Edge TPU". */
  readonly acceleratedStatus: string;
  /** What the level in `since` is called: 'Edge TPU runtime', 'Android API level'. */
  readonly levelName?: string;
}

export interface OpVerdict {
  readonly subgraph: number;
  readonly index: number;
  readonly opcode: string;
  /** The op's first output tensor name (what converters name ops by). */
  readonly name: string;
  readonly version: number;
  readonly placement: Placement;
  /** The vendor's status line for this op. */
  readonly status: string;
  /** Why it is not on the accelerator (effect cpu/blocks), then warnings; empty when it maps cleanly. */
  readonly findings: readonly Finding[];
  /** A rule that decided the placement (or the row that put the op on the accelerator) is unconfirmed. */
  readonly unconfirmed: boolean;
  /** Accelerator partition index, for ops on the accelerator. */
  readonly partition?: number;
  /** Multiply-accumulates per inference (0 for ops without a weighted reduction). */
  readonly macs: number;
}

export interface Partition {
  readonly index: number;
  readonly subgraph: number;
  /** Op indices in the subgraph, in execution order. */
  readonly ops: readonly number[];
  readonly macs: number;
}

export interface TargetSummary {
  /** 'accelerator': every op on it; 'partial'; 'cpu': none; 'blocked': the model is refused. */
  readonly verdict: 'accelerator' | 'partial' | 'cpu' | 'blocked';
  readonly ops: number;
  readonly opsOnAccelerator: number;
  readonly macs: number;
  readonly macsOnAccelerator: number;
  readonly partitions: number;
  /** Tensors handed between a CPU op and an accelerator partition (each one a copy at run time). */
  readonly transitions: number;
  readonly warnings: number;
}

export interface TargetReport {
  /** The profile's name, e.g. 'nnapi'. */
  readonly target: string;
  readonly title: string;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly summary: TargetSummary;
  readonly ops: readonly OpVerdict[];
  readonly partitions: readonly Partition[];
  /** Model-level findings (deprecations, memory, "the driver decides"). */
  readonly notes: readonly Finding[];
}

/** What a target needs from quantization and export, so a model made for it checks clean. */
export interface TargetRequirements {
  /** `false`: weights must (or should, for speed) be quantized per tensor. */
  readonly perAxisWeights: boolean;
  /** Model input/output types the accelerator takes without a CPU conversion op, best first. */
  readonly io: readonly IoType[];
  /** Largest batch the accelerator runs; absent when any. */
  readonly batch?: number;
  /** Activation widths accelerated. */
  readonly activationBits: readonly (8 | 16)[];
  /** Why, rule by rule (ids of the profile's rules). */
  readonly because: readonly string[];
}

/** A deployment target (EdgeTPU, NNAPI, …): says op by op what runs where, and why. */
export interface TargetProfile {
  /** Short id used on the command line and in reports: 'edgetpu', 'nnapi', 'imx8mp', 'ethos-u'. */
  readonly name: string;
  readonly title: string;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly requirements: TargetRequirements;
  check(model: TargetModel): TargetReport;
}
