import type { Finding, OpSupportRow, OpVerdict, Partition, Placement, ProfileTables, TargetReport, TargetRule } from './target.js';
import { estimateMacs } from './target-macs.js';
import { opContext, opKey, type OpContext, type TargetModel } from './target-model.js';
import { partitionSubgraph } from './target-partition.js';
import { summarize } from './target-summary.js';

/** Who runs the profile and with which settings; `level` is compared with op rows' `since`. */
export interface ProfileRun<C> {
  readonly name: string;
  readonly title: string;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly config: C;
  readonly level?: number;
  /** Model-level findings (deprecation, memory), computed by the profile. */
  readonly notes?: (model: TargetModel, ops: readonly OpVerdict[]) => readonly Finding[];
}

const ORDER: Readonly<Record<Finding['effect'], number>> = { blocks: 0, cpu: 1, warn: 2, info: 3 };

/** A finding with its keys in one order, whatever order the row was written in (stable JSON). */
export function finding(f: Finding): Finding {
  return {
    id: f.id,
    rule: f.rule,
    values: f.values,
    effect: f.effect,
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.fix !== undefined ? { fix: f.fix } : {}),
    source: f.source,
    confidence: f.confidence,
  };
}

function apply<C>(rule: TargetRule<C>, c: OpContext, config: C): Finding | undefined {
  const values = rule.test(c, config);
  return values === undefined ? undefined : finding({ ...rule, values });
}

const rowCache = new WeakMap<object, ReadonlyMap<string, OpSupportRow<never>>>();
function rowsOf<C>(tables: ProfileTables<C>): ReadonlyMap<string, OpSupportRow<C>> {
  let rows = rowCache.get(tables);
  if (!rows) rowCache.set(tables, (rows = new Map(tables.ops.map((r) => [r.opcode, r as OpSupportRow<never>]))));
  return rows as ReadonlyMap<string, OpSupportRow<C>>;
}

/** Every rule the op breaks: general rules, then its row (or the unlisted-op rule), blocking first. */
function findingsFor<C>(c: OpContext, tables: ProfileTables<C>, run: ProfileRun<C>): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding | undefined) => f && out.push(finding(f));
  for (const rule of tables.general) push(apply(rule, c, run.config));
  const key = opKey(c.op);
  const row = rowsOf(tables).get(key);
  if (!row) {
    push({ ...tables.unlisted, effect: 'cpu', values: `${key} has no row in the table` });
  } else {
    const what = row.name ?? row.opcode;
    if (row.since !== undefined && run.level !== undefined && run.level < row.since) {
      const level = tables.levelName ?? 'level';
      const confidence = row.sinceConfidence ?? row.confidence;
      push({ id: `${row.opcode}-since`, rule: `${what}: ${level} ${row.since} and later`, values: `${level} ${run.level} < ${row.since}`, effect: 'cpu', source: row.source, confidence, fix: `target ${level} ${row.since} or later` });
    }
    if (row.maxVersion !== undefined && c.op.version > row.maxVersion) {
      push({ id: `${row.opcode}-version`, rule: `${what}: op version at most ${row.maxVersion}`, values: `op version ${c.op.version} > ${row.maxVersion}`, effect: 'cpu', source: row.source, confidence: row.confidence, fix: 'convert with an older converter or an op form of a lower version' });
    }
    for (const rule of row.rules ?? []) push(apply(rule, c, run.config));
  }
  return out.sort((a, b) => ORDER[a.effect] - ORDER[b.effect]);
}

function placementOf(findings: readonly Finding[]): Placement {
  if (findings.some((f) => f.effect === 'blocks')) return 'blocks';
  return findings.some((f) => f.effect === 'cpu') ? 'cpu' : 'accelerator';
}

type Draft = { -readonly [K in keyof OpVerdict]: OpVerdict[K] };

function draftFor<C>(model: TargetModel, s: number, i: number, tables: ProfileTables<C>, run: ProfileRun<C>): Draft {
  const c = opContext(model, s, i);
  const findings = findingsFor(c, tables, run);
  const placement = placementOf(findings);
  const deciding = findings.filter((f) => f.effect === 'cpu' || f.effect === 'blocks');
  const row = rowsOf(tables).get(opKey(c.op));
  return {
    subgraph: s,
    index: i,
    opcode: opKey(c.op),
    name: c.outputs[0]?.name ?? '',
    version: c.op.version,
    placement,
    status: deciding[0]?.status ?? (placement === 'accelerator' ? tables.acceleratedStatus : deciding[0]?.rule ?? ''),
    findings,
    unconfirmed: deciding.length > 0 ? deciding.some((f) => f.confidence === 'UNCONFIRMED') : row?.confidence === 'UNCONFIRMED',
    macs: estimateMacs(c),
  };
}

/** A refused model compiles nothing: ops that would map go to the CPU, pointing at the blocking ops. */
function refuse(drafts: Draft[]): void {
  const blockers = drafts.filter((d) => d.placement === 'blocks');
  if (blockers.length === 0) return;
  const first = blockers[0]!.findings[0]!;
  const where = blockers.slice(0, 3).map((d) => `${d.opcode} #${d.index}`).join(', ') + (blockers.length > 3 ? ', …' : '');
  for (const d of drafts) {
    if (d.placement !== 'accelerator') continue;
    d.placement = 'cpu';
    d.status = first.status ?? 'the model is refused';
    d.findings = [finding({ id: 'MODEL-REFUSED', rule: first.rule, values: `the model is refused because of ${where}`, effect: 'cpu', source: first.source, confidence: first.confidence }), ...d.findings];
    d.unconfirmed = first.confidence === 'UNCONFIRMED';
  }
}

/** Runs a profile's tables over every op of the model: placements, reasons, partitions and summary. */
export function runProfile<C>(model: TargetModel, tables: ProfileTables<C>, run: ProfileRun<C>): TargetReport {
  const drafts: Draft[] = [];
  model.subgraphs.forEach((sg, s) => sg.operators.forEach((_, i) => drafts.push(draftFor(model, s, i, tables, run))));
  refuse(drafts);
  const partitions: Partition[] = [];
  const p = tables.partitioning;
  model.subgraphs.forEach((sg, s) => {
    const own = drafts.filter((d) => d.subgraph === s);
    const cut = partitionSubgraph(sg, own.map((d) => d.placement === 'accelerator'), p);
    for (const i of cut.demoted) {
      const d = own[i]!;
      d.placement = 'cpu';
      d.status = p.status ?? p.rule;
      d.unconfirmed = p.confidence === 'UNCONFIRMED';
      const values = {
        'single-segment': 'an op upstream of it runs on the CPU after the accelerator segment began',
        largest: p.kind === 'largest' ? `its partition is not among the ${p.maxPartitions} largest` : '',
        unlimited: 'it sits in a dataflow cycle: no partition can hold it',
      }[p.kind];
      d.findings = [finding({ id: `PARTITION-${p.kind}`, rule: p.rule, values, effect: 'cpu', source: p.source, confidence: p.confidence, ...(p.status ? { status: p.status } : {}) }), ...d.findings];
    }
    for (const ops of cut.partitions) {
      const index = partitions.length;
      for (const i of ops) own[i]!.partition = index;
      partitions.push({ index, subgraph: s, ops, macs: ops.reduce((a, i) => a + own[i]!.macs, 0) });
    }
  });
  // Warnings are about accelerated work (speed, precision): moot for ops that end on the CPU.
  for (const d of drafts) if (d.placement !== 'accelerator') d.findings = d.findings.filter((f) => f.effect !== 'warn');
  const ops: OpVerdict[] = drafts;
  const notes = (run.notes?.(model, ops) ?? []).map(finding);
  return { target: run.name, title: run.title, settings: run.settings, summary: summarize(model, ops, partitions, notes), ops, partitions, notes };
}
