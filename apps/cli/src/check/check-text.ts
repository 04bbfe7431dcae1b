import type { Finding, OpVerdict, TargetReport } from '@qatkit/core';
import { formatTable } from '../io/table.js';
import { formatCount, formatShare } from './format-numbers.js';

const VERDICT: Readonly<Record<TargetReport['summary']['verdict'], string>> = {
  accelerator: 'runs entirely on the accelerator',
  partial: 'partly on the accelerator',
  cpu: 'nothing on the accelerator',
  blocked: 'REFUSED: the model does not compile for this target',
};

/** Consecutive ops with the same placement and status, as one row. */
function runs(ops: readonly OpVerdict[]): OpVerdict[][] {
  const out: OpVerdict[][] = [];
  for (const op of ops) {
    const last = out.at(-1)?.at(-1);
    if (last && last.subgraph === op.subgraph && last.placement === op.placement && last.status === op.status && last.unconfirmed === op.unconfirmed) out.at(-1)!.push(op);
    else out.push([op]);
  }
  return out;
}

function opcodes(run: readonly OpVerdict[]): string {
  const names = [...new Set(run.map((o) => o.opcode))];
  return names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
}

const span = (run: readonly OpVerdict[]) => {
  const [a, b] = [run[0]!.index, run.at(-1)!.index];
  const sg = run[0]!.subgraph > 0 ? `${run[0]!.subgraph}:` : '';
  return a === b ? `${sg}${a}` : `${sg}${a}-${b}`;
};

/** Every distinct broken rule once, with the ops it hits, in order of first appearance. */
function reasons(report: TargetReport): string[] {
  const byRule = new Map<string, { finding: Finding; ops: OpVerdict[] }>();
  for (const op of report.ops) {
    for (const f of op.findings) {
      const entry = byRule.get(f.id) ?? { finding: f, ops: [] };
      entry.ops.push(op);
      byRule.set(f.id, entry);
    }
  }
  return [...byRule.values()].map(({ finding: f, ops }) => {
    const where = ops.length === 1 ? `op ${ops[0]!.index} ${ops[0]!.opcode}` : `${ops.length} ops, first ${ops[0]!.index} ${ops[0]!.opcode}`;
    const lines = [`  ${f.effect.toUpperCase()} ${f.id} (${where}): ${f.values}`, `      rule: ${f.rule}`];
    if (f.fix) lines.push(`      fix: ${f.fix}`);
    lines.push(`      source [${f.confidence}]: ${f.source}`);
    return lines.join('\n');
  });
}

/** One target's report as text: the summary line, a table of op runs, then each rule broken and each note. */
export function formatReport(report: TargetReport): string {
  const s = report.summary;
  const head = [
    `${report.title}: ${VERDICT[s.verdict]}`,
    `  ${s.opsOnAccelerator} of ${s.ops} ops and ${formatCount(s.macsOnAccelerator)} of ${formatCount(s.macs)} MACs (${formatShare(s.macsOnAccelerator, s.macs)}) on the accelerator; ` +
      `${s.partitions} partition${s.partitions === 1 ? '' : 's'}, ${s.transitions} CPU↔accelerator transition${s.transitions === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}`,
  ];
  const rows = runs(report.ops).map((run) => [span(run), String(run.length), run[0]!.placement + (run[0]!.unconfirmed ? ' (unconfirmed)' : ''), opcodes(run), run[0]!.status]);
  const table = formatTable(['ops', 'count', 'placement', 'op', 'status'], rows)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const why = reasons(report);
  const notes = report.notes.map((n) => `  ${n.effect === 'warn' ? 'WARN' : 'note'} ${n.id}: ${n.values}${n.fix ? ` (fix: ${n.fix})` : ''}`);
  return [...head, '', table, ...(why.length ? ['', ...why] : []), ...(notes.length ? ['', ...notes] : [])].join('\n');
}
