import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { EXIT, UsageError, nonEmpty, oneOf } from '../cli/usage.js';
import { STUDY_ARCHS, type StudyArch } from '../study/study-plan.js';

interface RawStudyOptions {
  readonly arch?: unknown;
  readonly out?: unknown;
  readonly data?: unknown;
  readonly quick?: unknown;
  readonly render?: unknown;
}

/** `qatkit study`: the PTQ-vs-QAT study behind docs/study.md (`pnpm study`); not part of the tests. */
export function registerStudy(program: Command, ctx: CommandContext): void {
  program
    .command('study')
    .summary("measure float, PTQ int8 (each method, also at QAT's training budget) and QAT int8/4-bit/2-bit weights on LiteRT; write study.md and study.svg")
    .description(
      'Trains the demo CNN and MobileNetV2 on Fashion-MNIST once each, then builds every variant from the same float model ' +
        '(float TFLite, a float fine-tuning reference, PTQ int8 by minmax, ema, percentile and mse of the float model and of the ' +
        'fine-tuned reference — the same training budget as QAT —, QAT int8, QAT with 4-bit and 2-bit weights), scores each .tflite on LiteRT and writes a table (study.md), a bar plot (study.svg) and the rows (study.json). ' +
        'Takes about 25 minutes on 2 cores; --quick is a smoke run with a tiny budget (its figures mean nothing).',
    )
    .option('--arch <name...>', `architectures: ${STUDY_ARCHS.join(', ')} (default: both)`)
    .option('--out <dir>', 'where study.md, study.svg and study.json go', 'docs')
    .option('--data <dir>', 'folder with Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist if present, else the bundled subset)')
    .option('--quick', 'tiny budget, for checking the pipeline')
    .option('--render <study.json>', 'no training: redraw study.md and study.svg in --out from the rows a run saved')
    .action(async (raw: RawStudyOptions, command: Command) => {
      let archs: StudyArch[];
      try {
        const given = raw.arch === undefined ? [...STUDY_ARCHS] : (raw.arch as unknown[]);
        archs = given.map((a) => oneOf('--arch', a, STUDY_ARCHS));
        nonEmpty('--out', raw.out);
        if (raw.data !== undefined) nonEmpty('--data', raw.data);
      } catch (err) {
        if (err instanceof UsageError) command.error(`error: ${err.message}`, { exitCode: EXIT.usage, code: 'qatkit.usage' });
        throw err;
      }
      const { renderStudy, runStudy } = await import('../study/study.js');
      if (raw.render !== undefined) {
        const drawn = await renderStudy(nonEmpty('--render', raw.render), String(raw.out));
        ctx.io.out(`wrote ${drawn.files.join(', ')}\n`);
        return;
      }
      const words = ['qatkit study', ...(raw.arch === undefined ? [] : ['--arch', ...archs]), ...(raw.quick ? ['--quick'] : []), ...(raw.out === 'docs' ? [] : ['--out', String(raw.out)])];
      const result = await runStudy(
        { archs, out: String(raw.out), ...(raw.data === undefined ? {} : { data: String(raw.data) }), quick: raw.quick === true, command: words.length === 1 ? 'pnpm study' : words.join(' ') },
        ctx.io.err,
      );
      ctx.io.out(`wrote ${result.files.join(', ')}\n`);
    });
}
