/**
 * `pnpm bench` in tests/bench: each bench in its own fresh Node process (one's heap, JIT and
 * loaded runtimes cannot skew the next), in order — export writes the files deployed and check
 * run — then the report step writes BENCHMARKS.md and docs/bench/*.svg. A failed bench does
 * not stop the others; the report names what is missing and the exit code is 1.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_IDS } from './report/required-figures.js';

const run = (file: string): boolean => {
  const t = performance.now();
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(new URL(file, import.meta.url))], { stdio: 'inherit' });
  console.log(`${file}: exit ${child.status ?? child.signal} after ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return child.status === 0;
};

const started = performance.now();
const only = process.argv.slice(2);
const failed = BENCH_IDS.filter((id) => (only.length === 0 || only.includes(id)) && !run(`./${id}.bench.ts`));
const reported = run('./report/write-report.ts');
// The whole run must fit a fresh clone's 15-minute budget (docs/bench/analysis.md): say what it took.
const total = (performance.now() - started) / 1000;
console.log(`pnpm bench (tests/bench): ${Math.floor(total / 60)} min ${Math.round(total % 60)} s in total`);
if (failed.length > 0 || !reported) {
  console.error(`failed: ${[...failed, ...(reported ? [] : ['report'])].join(', ')}`);
  process.exitCode = 1;
}
