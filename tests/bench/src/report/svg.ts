// Hand-written SVG bar charts: deterministic text (same figures → same bytes, so a re-run with
// the same numbers leaves git clean), no fonts to load, readable on GitHub's light and dark pages.
import { met, type Figure } from '../results.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Text at the bar's end (the value with its unit). */
  readonly text: string;
  /** Where a tick marks the goal, in the bar's units. */
  readonly goal?: number;
  /** true: goal met (green), false: missed (red), undefined: no goal (blue). */
  readonly ok?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Math.round(n * 10) / 10).toString();
const COLORS = { ok: '#2e9e5b', miss: '#d1453b', none: '#3f7fcf' } as const;

const LABEL_W = 430;
const PLOT_W = 330;
const ROW_H = 26;
const TOP = 40;

/**
 * Horizontal bars, one per row. `log`: a log10 axis (for ratios spanning 0.5× to 50×), whose
 * left edge is a decade below the smallest value.
 */
export function barChart(title: string, bars: readonly Bar[], log = false): string {
  const values = bars.flatMap((b) => [b.value, b.goal ?? b.value]).filter((v) => v > 0);
  const max = Math.max(...values, 1e-9);
  const min = log ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 0;
  const hi = log ? 10 ** Math.ceil(Math.log10(max * 1.05)) : max * 1.1;
  const x = (v: number) => (log ? (PLOT_W * (Math.log10(Math.max(v, min)) - Math.log10(min))) / (Math.log10(hi) - Math.log10(min)) : (PLOT_W * v) / hi);
  const width = LABEL_W + PLOT_W + 110;
  const height = TOP + bars.length * ROW_H + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold" fill="#222">${esc(title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = TOP + i * ROW_H;
    const color = b.ok === undefined ? COLORS.none : b.ok ? COLORS.ok : COLORS.miss;
    // ~6.5 px per character at 12 px: longer labels would run off the left edge
    const label = b.label.length > 64 ? `${b.label.slice(0, 63)}…` : b.label;
    out.push(`<text x="${LABEL_W - 8}" y="${y + 15}" text-anchor="end" fill="#222">${esc(label)}</text>`);
    out.push(`<rect x="${LABEL_W}" y="${y + 3}" width="${num(Math.max(1, x(b.value)))}" height="${ROW_H - 8}" fill="${color}"/>`);
    out.push(`<text x="${num(LABEL_W + Math.max(1, x(b.value)) + 5)}" y="${y + 15}" fill="#222">${esc(b.text)}</text>`);
    if (b.goal !== undefined) {
      const gx = num(LABEL_W + x(b.goal));
      out.push(`<line x1="${gx}" y1="${y}" x2="${gx}" y2="${y + ROW_H - 2}" stroke="#111" stroke-width="2" stroke-dasharray="3,2"/>`);
    }
  });
  const axisY = TOP + bars.length * ROW_H + 4;
  out.push(`<line x1="${LABEL_W}" y1="${axisY}" x2="${LABEL_W + PLOT_W}" y2="${axisY}" stroke="#888"/>`);
  const ticks = log ? decades(min, hi) : [0, hi / 2, hi];
  for (const t of ticks) out.push(`<text x="${num(LABEL_W + x(t))}" y="${axisY + 14}" text-anchor="middle" fill="#666">${esc(tickText(t))}</text>`);
  out.push(`<text x="${LABEL_W + PLOT_W + 100}" y="${axisY + 14}" text-anchor="end" fill="#666">${log ? 'log scale' : ''}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) out.push(v);
  return out;
}

const tickText = (v: number) => (v >= 1000 ? `${Math.round(v / 1000)}k` : Number(v.toPrecision(2)).toString());

/** A figure as a bar, its goal as the tick and its colour from met/missed. */
export function figureBar(f: Figure, text: (f: Figure) => string): Bar {
  const ok = met(f);
  return { label: f.label, value: f.value, text: text(f), ...(f.goal && { goal: f.goal.value }), ...(ok !== undefined && { ok }) };
}

/**
 * The goals overview: each goal figure as "how far past its goal", goal = 1 on a log axis, so
 * times (lower is better) and ratios (higher is better) share one chart.
 */
export function goalsChart(figures: readonly Figure[], text: (f: Figure) => string): string {
  const bars = figures
    .filter((f) => f.goal)
    .map((f) => {
      const g = f.goal!;
      const score = g.op === '>=' ? f.value / g.value : g.value / f.value;
      return { label: f.label, value: score, text: text(f), goal: 1, ok: met(f)! } satisfies Bar;
    });
  return barChart('Goals: measured ÷ goal (right of the dashed line = met)', bars, true);
}
