import type { TargetModel, TargetReport } from '@qatkit/core';

/** What `qatkit check --json` prints: stable keys, documented in apps/cli/README.md. */
export interface CheckDocument {
  readonly schema: 'qatkit-check/1';
  readonly model: {
    readonly file: string;
    readonly bytes: number;
    readonly description: string;
    readonly subgraphs: number;
    readonly ops: number;
    readonly macs: number;
  };
  /** Every op on the accelerator of every target: what exit code 0 means. */
  readonly ok: boolean;
  readonly targets: readonly TargetReport[];
}

export function checkDocument(file: string, bytes: number, model: TargetModel, reports: readonly TargetReport[]): CheckDocument {
  return {
    schema: 'qatkit-check/1',
    model: {
      file,
      bytes,
      description: model.description ?? '',
      subgraphs: model.subgraphs.length,
      ops: model.subgraphs.reduce((a, sg) => a + sg.operators.length, 0),
      macs: reports[0]?.summary.macs ?? 0,
    },
    ok: reports.every((r) => r.summary.verdict === 'accelerator'),
    targets: reports,
  };
}
