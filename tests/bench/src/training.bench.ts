/**
 * Training speed (issue 9): QAT examples/s on wasm and cpu, QAT step ÷ float step on the same
 * backend, and our wasm whole-step training against stock tfjs cpu — for the Fashion-MNIST CNN and
 * MobileNetV2-0.35-96. All configurations of a model are interleaved in one process (this 2-core
 * machine is shared, timings drift; same-run ratios are what mean something).
 */
import * as tf from '@tensorflow/tfjs';
import { fashionCnn, mobilenetV2 } from '@qatkit/models';
import { benchCommand, fmt, machine, writeResult, type Figure, type Table } from './results.js';
import { disposeConfigs, interleave, makeConfig, roundRatio, type Engine, type TrainConfig } from './train-configs.js';
import { versions } from './versions.js';

const log = (line: string) => console.log(line);

interface ModelCase {
  readonly key: string;
  readonly name: string;
  readonly build: () => tf.LayersModel;
  readonly batch: number;
  readonly rounds: number;
  /**
   * [engine, timed steps per round, warm-up step? (default: all but stock cpu)]; stock cpu only
   * where a step takes seconds, not minutes.
   */
  readonly engines: readonly (readonly [Engine, number, boolean?])[];
}

const CASES: readonly ModelCase[] = [
  {
    key: 'cnn',
    name: 'Fashion-MNIST CNN (fashionCnn, 28×28×1, ~106k params, BatchNorm)',
    build: () => fashionCnn(),
    batch: 64,
    rounds: 3,
    engines: [['wasm', 4], ['cpu', 1]],
  },
  {
    // stock cpu takes seconds per CNN step even at batch 16 (minutes per round at 64 on a loaded machine)
    key: 'cnn-stock',
    name: 'Fashion-MNIST CNN (fashionCnn), ours on wasm vs stock tfjs cpu',
    build: () => fashionCnn(),
    batch: 16,
    rounds: 3,
    engines: [['wasm', 4], ['stock-cpu', 1]],
  },
  {
    key: 'mbv2',
    name: 'MobileNetV2-0.35-96 (96×96×3, 10 classes)',
    build: () => mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10 }),
    // batch 16: a cpu step of MobileNetV2 takes seconds per 16 images; examples/s does not depend on it much
    batch: 16,
    rounds: 3,
    // A cpu step takes 25–40 s on the shared machine: no untimed warm-up step (JIT warm-up is lost
    // in it), which keeps the fresh-clone `pnpm bench` well inside 15 minutes.
    engines: [['wasm', 2], ['cpu', 1, false]],
  },
];

const ENGINE_LABEL: Record<Engine, string> = { wasm: 'wasm + qatkit kernels', cpu: 'cpu + qatkit kernels', 'stock-cpu': 'stock tfjs cpu' };

const started = performance.now();
const figures: Figure[] = [];
const tables: Table[] = [];
for (const c of CASES) {
  log(`${c.name}, batch ${c.batch}`);
  const configs: TrainConfig[] = [];
  for (const [engine, steps, warmUp] of c.engines) {
    for (const qat of [false, true]) configs.push(await makeConfig(engine, qat, c.build, c.batch, steps, warmUp));
  }
  const ms = await interleave(configs, c.rounds, log);
  disposeConfigs(configs);
  const at = (engine: Engine, qat: boolean) => configs.findIndex((x) => x.engine === engine && x.qat === qat);
  const stepMs = (engine: Engine, qat: boolean) => ms[at(engine, qat)]!;
  // Ratios are medians of per-round ratios (see roundRatio); times stay medians of times.
  const ratio = (a: [Engine, boolean], b: [Engine, boolean]) => roundRatio(configs[at(...a)]!, configs[at(...b)]!);
  const rows: string[][] = [];
  for (const [engine] of c.engines) {
    const f = stepMs(engine, false);
    const q = stepMs(engine, true);
    const qOverF = ratio([engine, true], [engine, false]);
    rows.push([ENGINE_LABEL[engine], fmt(f), fmt(q), fmt((1000 * c.batch) / f), fmt((1000 * c.batch) / q), `${fmt(qOverF)}×`]);
    if (engine === 'stock-cpu' || c.key === 'cnn-stock') continue;
    figures.push({ id: `train.${c.key}.${engine}.qat-examples-per-s`, label: `QAT training, ${c.key === 'cnn' ? 'Fashion-MNIST CNN' : 'MobileNetV2-0.35-96'}, ${engine}: examples/s`, value: (1000 * c.batch) / q, unit: 'examples/s' });
    figures.push({ id: `train.${c.key}.${engine}.qat-over-float`, label: `QAT step ÷ float step, ${c.key === 'cnn' ? 'Fashion-MNIST CNN' : 'MobileNetV2-0.35-96'}, ${engine}`, value: qOverF, unit: '×', goal: { op: '<=', value: 1.2 } });
  }
  if (c.engines.some(([e]) => e === 'stock-cpu')) {
    figures.push({ id: 'train.cnn.wasm-over-stock-cpu', label: 'Whole QAT step, Fashion-MNIST CNN batch 16: ours on wasm vs stock tfjs cpu (speed-up)', value: ratio(['stock-cpu', true], ['wasm', true]), unit: '×', goal: { op: '>=', value: 20 } });
    figures.push({ id: 'train.cnn.wasm-over-stock-cpu.float', label: 'Whole float step, Fashion-MNIST CNN batch 16: ours on wasm vs stock tfjs cpu (speed-up)', value: ratio(['stock-cpu', false], ['wasm', false]), unit: '×' });
  }
  tables.push({
    caption: `${c.name}, batch ${c.batch}: ms per train step (trainOnBatch, Adam), medians of ${c.rounds} interleaved rounds; QAT ÷ float: median of the per-round ratios`,
    columns: ['engine', 'float step ms', 'QAT step ms', 'float examples/s', 'QAT examples/s', 'QAT ÷ float'],
    rows,
  });
}

const file = writeResult({
  id: 'training',
  title: 'QAT training speed',
  command: benchCommand('training.bench.ts'),
  date: new Date().toISOString(),
  seconds: (performance.now() - started) / 1000,
  machine: machine(),
  versions: versions(),
  tables,
  figures,
  notes: [
    '"stock tfjs cpu" is the cpu backend as tfjs 4.22 ships it: qatkit\'s backprop kernels and fused fake-quant kernel unregistered (fake quantization then runs as plain tfjs ops). Stock wasm cannot train these models at all: it lacks Conv2DBackpropFilter and the depthwise backprop kernels.',
    'QAT ÷ float and ours ÷ stock are medians of the per-round ratios (each round times every configuration back to back); step times are medians of the rounds. MobileNetV2 on cpu runs no untimed warm-up step: one step takes 25–40 s of plain JS loops, in which warm-up is lost.',
    'Stock cpu is measured on the CNN only: a MobileNetV2 step there takes minutes (its depthwise filter gradient walks TensorBuffer.get element by element).',
  ],
});
log(`wrote ${file}`);
