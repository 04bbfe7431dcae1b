/**
 * `qatkit check` (issue 9, from issue 7): qatkit's own int8 MobileNetV2-1.0-224 export (int8 I/O,
 * written by export.bench.ts) read and checked against all four targets — in the library (cold
 * first call and warm median) and as the CLI's whole process run — plus where its ops land.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTflite } from '@qatkit/exporter-tflite';
import { edgetpu } from '@qatkit/target-edgetpu';
import { ethosU } from '@qatkit/target-ethos-u';
import { imx8mp } from '@qatkit/target-imx8mp';
import { nnapi } from '@qatkit/target-nnapi';
import { ARTIFACT_FILES } from './fixtures.js';
import { ARTIFACTS_DIR, REPO_ROOT, benchCommand, fmt, machine, median, writeResult } from './results.js';
import { versions } from './versions.js';

const started = performance.now();
const FILE = join(ARTIFACTS_DIR, 'mbv2', ARTIFACT_FILES.int8IoTflite);
const CLI = join(REPO_ROOT, 'apps', 'cli', 'dist', 'bin.js');
const TARGETS = { edgetpu: edgetpu(), 'nnapi:30': nnapi({ apiLevel: 30 }), imx8mp: imx8mp(), 'ethos-u': ethosU() };

const bytes = new Uint8Array(readFileSync(FILE));
const checkAll = () => {
  const model = readTflite(bytes);
  return Object.values(TARGETS).map((t) => t.check(model));
};
const time = (f: () => unknown) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

const firstMs = time(checkAll);
const libSamples = Array.from({ length: 30 }, () => time(checkAll));
const args = [CLI, 'check', FILE, ...Object.keys(TARGETS).flatMap((t) => ['--target', t]), '--json'];
const cliSamples: number[] = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  cliSamples.push(performance.now() - t);
  // 0: every op on every accelerator; 4: some op is not — both are answers, anything else is a failure
  if (run.status !== 0 && run.status !== 4) throw new Error(`qatkit check exited ${run.status}: ${run.stderr}`);
}
const reports = checkAll();
const lib = median(libSamples);
const cli = median(cliSamples);
const file = writeResult({
  id: 'check',
  title: '`qatkit check` on MobileNetV2 against all targets',
  command: benchCommand('check.bench.ts'),
  date: new Date().toISOString(),
  seconds: (performance.now() - started) / 1000,
  machine: machine(),
  versions: versions(),
  tables: [
    {
      caption: `qatkit's MobileNetV2-1.0-224 int8 export (int8 I/O, ${fmt(bytes.length / 2 ** 20)} MiB): readTflite + check against ${Object.keys(TARGETS).join(', ')}`,
      columns: ['how', 'ms'],
      rows: [
        ['library, first call in the process (cold JIT)', fmt(firstMs)],
        [`library, median of ${libSamples.length} warm calls`, fmt(lib)],
        [`CLI whole process (node start → exit), \`node apps/cli/dist/bin.js check model.tflite ${Object.keys(TARGETS).map((t) => `--target ${t}`).join(' ')} --json\`, median of ${cliSamples.length}`, fmt(cli)],
      ],
    },
    {
      caption: 'Where the ops land (the check itself)',
      columns: ['target', 'verdict', 'ops on accelerator', 'MACs on accelerator', 'partitions', 'warnings'],
      rows: reports.map((r) => [
        r.title,
        r.summary.verdict,
        `${r.summary.opsOnAccelerator} / ${r.summary.ops}`,
        `${fmt((100 * r.summary.macsOnAccelerator) / Math.max(1, r.summary.macs))} %`,
        String(r.summary.partitions),
        String(r.summary.warnings),
      ]),
    },
  ],
  figures: [
    { id: 'check.mbv2.library.ms', label: '`qatkit check` MobileNetV2, all targets: library call (warm)', value: lib, unit: 'ms', goal: { op: '<', value: 50 } },
    { id: 'check.mbv2.cli.ms', label: '`qatkit check` MobileNetV2, all targets: CLI whole run', value: cli, unit: 'ms', goal: { op: '<', value: 500 } },
  ],
  notes: ['Goals from issue 7 ([targets]): library under 50 ms, CLI under 500 ms. The CLI run includes Node start-up, which dominates it.'],
});
console.log(`check: library ${fmt(lib)} ms (first ${fmt(firstMs)} ms), CLI ${fmt(cli)} ms; wrote ${file}`);
