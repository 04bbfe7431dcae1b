import { readFile } from 'node:fs/promises';
import { cpus, release, type } from 'node:os';
import { join, resolve } from 'node:path';
import { loadLiteRt } from '@qatkit/litert-runner';
import { initBackend } from '@qatkit/tfjs';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { STUDY_BUDGET, quickBudget, type Budget, type StudyArch, type StudyRow } from './study-plan.js';
import { studyMarkdown, studySvg, type StudyContext } from './study-report.js';
import { runArch } from './study-run.js';

export interface StudyOptions {
  readonly archs: readonly StudyArch[];
  readonly out: string;
  readonly data?: string;
  readonly quick: boolean;
  /** The command line to print in the report. */
  readonly command: string;
}

/** Trains, quantizes and scores every variant, then writes study.md and study.svg to `out`. */
export async function runStudy(o: StudyOptions, log: (s: string) => void): Promise<{ files: string[]; rows: StudyRow[] }> {
  const t0 = performance.now();
  const data = await loadFashionMnist(o.data);
  const backend = await initBackend('wasm');
  const rt = await loadLiteRt();
  const budgets: Partial<Record<StudyArch, Budget>> = {};
  const rows: StudyRow[] = [];
  for (const arch of o.archs) {
    const b = o.quick ? quickBudget(STUDY_BUDGET[arch]) : STUDY_BUDGET[arch];
    budgets[arch] = b;
    rows.push(...(await runArch(arch, b, data, rt, log)));
  }
  const cpu = cpus();
  const ctx = {
    command: o.command,
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${type()} ${release()}, Node ${process.version}, tfjs backend ${backend} (training), LiteRT (scoring)`,
    date: new Date().toISOString().slice(0, 10),
    data: `Fashion-MNIST ${data.source === 'full' ? 'full set' : `committed subset (${data.train.count} training / ${data.test.count} test images; the full set was not on this machine)`} from ${data.dir}`,
    budgets,
    totalSeconds: (performance.now() - t0) / 1000,
  };
  // The measured rows as data first: the report can be redrawn (renderStudy) without training again.
  const json = join(resolve(o.out), 'study.json');
  await writeFileAtomic(json, `${JSON.stringify({ rows, context: ctx }, null, 1)}\n`);
  return { files: [...(await writeReport(rows, ctx, o.out)), json], rows };
}

async function writeReport(rows: readonly StudyRow[], ctx: StudyContext, out: string): Promise<string[]> {
  const files = [join(resolve(out), 'study.md'), join(resolve(out), 'study.svg')];
  await writeFileAtomic(files[0]!, studyMarkdown(rows, ctx));
  await writeFileAtomic(files[1]!, studySvg(rows));
  return files;
}

/** Redraws study.md and study.svg from a study.json that runStudy wrote (NaN agreements are stored as null). */
export async function renderStudy(jsonPath: string, out: string): Promise<{ files: string[] }> {
  const saved = JSON.parse(await readFile(jsonPath, 'utf8')) as { rows: (Omit<StudyRow, 'agreement'> & { agreement: number | null })[]; context: StudyContext };
  const rows = saved.rows.map((r) => ({ ...r, agreement: r.agreement ?? Number.NaN }));
  return { files: await writeReport(rows, saved.context, out) };
}
