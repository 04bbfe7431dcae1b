// BENCHMARKS.md from the bench results: a goals overview, then one section per bench with its
// machine, versions, command and date right above its tables, its figures, a chart, and notes.
import { fmt, met, type BenchResult, type Figure, type Table } from '../results.js';
import { REQUIRED_FIGURES } from './required-figures.js';

export interface Chart {
  /** Path relative to the repo root, e.g. docs/bench/training-ratio.svg. */
  readonly path: string;
  readonly alt: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function tableMd(t: Table): string {
  return [
    `**${t.caption}**`,
    '',
    `| ${t.columns.map(cell).join(' | ')} |`,
    `|${t.columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

// ratios with two decimals: a goal of 1.2× must not read as met at 1.204×
export const valueText = (f: Figure) => (f.unit === '×' ? `${f.value < 10 ? f.value.toFixed(2) : fmt(f.value)}×` : `${fmt(f.value)} ${f.unit}`);
const goalText = (f: Figure) => (f.goal ? `${f.goal.op.replace('>=', '≥').replace('<=', '≤')} ${fmt(f.goal.value)}${f.unit === '×' ? '×' : ` ${f.unit}`}` : '–');
const status = (f: Figure) => ({ true: '✅ met', false: '❌ **missed**', undefined: '–' })[String(met(f)) as 'true' | 'false' | 'undefined'];

export function contextMd(r: BenchResult): string {
  const m = r.machine;
  const v = Object.entries(r.versions).map(([k, x]) => `${k} ${x}`).join(', ');
  return [
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.platform} (shared with other jobs while measured)`,
    `- Versions: ${v}`,
    `- Command: \`${r.command}\``,
    `- Date: ${r.date} (bench took ${fmt(r.seconds)} s)`,
  ].join('\n');
}

function figuresMd(figures: readonly Figure[]): string {
  return [
    '| figure | id | measured | goal | status |',
    '|---|---|---:|---:|---|',
    ...figures.map((f) => `| ${cell(f.label)}${f.note ? ` (${cell(f.note)})` : ''} | \`${f.id}\` | ${valueText(f)} | ${goalText(f)} | ${status(f)} |`),
  ].join('\n');
}

export function sectionMd(r: BenchResult, charts: readonly Chart[]): string {
  const parts = [`## ${r.title}`, ''];
  for (const t of r.tables) parts.push(contextMd(r), '', tableMd(t), '');
  parts.push(`Figures of this run:`, '', figuresMd(r.figures), '');
  for (const c of charts) parts.push(`![${c.alt}](${c.path})`, '');
  for (const n of r.notes) parts.push(`- ${n}`);
  return parts.join('\n');
}

export function overviewMd(results: readonly BenchResult[]): string {
  const all = results.flatMap((r) => r.figures);
  const byId = new Map(all.map((f) => [f.id, f]));
  const rows = REQUIRED_FIGURES.map(({ id, what }) => {
    const f = byId.get(id);
    return f ? `| ${cell(what)} | \`${id}\` | ${valueText(f)} | ${goalText(f)} | ${status(f)} |` : `| ${cell(what)} | \`${id}\` | not measured | – | ❌ **missing** |`;
  });
  return ['| figure | id | measured | goal | status |', '|---|---|---:|---:|---|', ...rows].join('\n');
}
