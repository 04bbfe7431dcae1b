// The machine-readable result every bench writes (bench-results/<id>.json at the repo root,
// gitignored), and what the report step reads back. Each result carries its own machine,
// versions, command and date, so a table in BENCHMARKS.md always sits beside the context it
// was measured in, even when benches were re-run one at a time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root, from this file's place in tests/bench/src. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RESULTS_DIR = join(REPO_ROOT, 'bench-results');
/** Exported model files the later benches (deployed latency, check) read. */
export const ARTIFACTS_DIR = join(RESULTS_DIR, 'models');

/** A goal from the issue: the figure must be `op` the value. */
export interface Goal {
  readonly op: '>=' | '<=' | '<';
  readonly value: number;
}

/** One headline number: a ratio (unit '×') or a measured quantity with a goal. */
export interface Figure {
  /** Stable key, also what the BENCHMARKS.md test looks for. */
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly goal?: Goal;
  /** Why a figure is what it is (e.g. which variant was taken as "int8"). */
  readonly note?: string;
}

export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly platform: string;
}

export interface BenchResult {
  readonly id: string;
  readonly title: string;
  /** The exact command that produced this result. */
  readonly command: string;
  readonly date: string;
  readonly seconds: number;
  readonly machine: Machine;
  readonly versions: Readonly<Record<string, string>>;
  readonly tables: readonly Table[];
  readonly figures: readonly Figure[];
  readonly notes: readonly string[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function met(f: Figure): boolean | undefined {
  if (!f.goal) return undefined;
  const { op, value } = f.goal;
  return op === '>=' ? f.value >= value : op === '<=' ? f.value <= value : f.value < value;
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.id}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function readResult(id: string): BenchResult | undefined {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${id}.json`), 'utf8')) as BenchResult;
  } catch {
    return undefined;
  }
}

/** Median (upper median for even counts: a real sample, not an average of two). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** `n` rounded for a table: 3 significant digits, no exponent. */
export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 10 ** digits) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(digits)).toString();
}

/** The command line that reproduces one bench, for the tables. */
export function benchCommand(file: string): string {
  return `pnpm bench  (runs, in tests/bench: tsx src/${file})`;
}
