// pnpm bench (turbo runs it here): reading and checking the 4 MB MobileNetV2 of ../shared/models
// against all four targets, in the library and through the CLI's whole run. Goals (issue 7):
// library under 50 ms, CLI under 500 ms. Prints medians of repeated runs; exits 0 either way.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readTflite } from '@qatkit/exporter-tflite';
import { MODELS_DIR, modelBytes, TARGETS } from '../shared-models.js';

const FILE = 'mobilenet_v2_quantized_1x3x224x224.tflite';
const CLI = fileURLToPath(new URL('../../../../apps/cli/dist/bin.js', import.meta.url));

function stats(samples: number[]): { median: number; p90: number; min: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p90: s[Math.floor(s.length * 0.9)]!, min: s[0]! };
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const time = (f: () => void): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

const bytes = modelBytes(FILE);
const targets = Object.values(TARGETS);
const first = time(() => targets.forEach((t) => t.check(readTflite(bytes))));
const rounds = 40;
const read: number[] = [];
const checks: Record<string, number[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
const total: number[] = [];
for (let i = 0; i < rounds; i++) {
  let model!: ReturnType<typeof readTflite>;
  const r = time(() => (model = readTflite(bytes)));
  read.push(r);
  let sum = r;
  for (const t of targets) {
    const c = time(() => t.check(model));
    checks[t.name]!.push(c);
    sum += c;
  }
  total.push(sum);
}

const cliRuns: number[] = [];
const args = [CLI, 'check', `${MODELS_DIR}/${FILE}`, ...Object.keys(TARGETS).flatMap((t) => ['--target', t === 'nnapi' ? 'nnapi:30' : t]), '--json'];
for (let i = 0; i < 8; i++) {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  cliRuns.push(performance.now() - t0);
  if (run.status !== 4 && run.status !== 0) throw new Error(`qatkit check failed (${run.status}): ${run.stderr}`);
}

const lib = stats(total);
const cli = stats(cliRuns);
console.log(`read + check ${FILE} (${(bytes.length / 1e6).toFixed(2)} MB, 84 ops) against ${Object.keys(TARGETS).join(', ')}; node ${process.version}`);
console.log(`  library, first run in the process (cold JIT): ${ms(first)}`);
console.log(`  library, median of ${rounds}: ${ms(lib.median)} (p90 ${ms(lib.p90)}, min ${ms(lib.min)})   goal < 50 ms: ${lib.median < 50 ? 'met' : 'MISSED'}`);
console.log(`    readTflite ${ms(stats(read).median)}; ${Object.entries(checks).map(([n, s]) => `${n} ${ms(stats(s).median)}`).join(', ')}`);
console.log(`  CLI, whole run (node start → exit, --json), median of ${cliRuns.length}: ${ms(cli.median)} (min ${ms(cli.min)})   goal < 500 ms: ${cli.median < 500 ? 'met' : 'MISSED'}`);
