import { describe, expect, it } from 'vitest';
import { act, chain, konst, model } from '../test-utils/target-model.js';
import type { ProfileTables } from './target.js';
import { runProfile } from './target-engine.js';
import { narrowStorage } from './target-narrow.js';

interface Config {
  readonly maxRank: number;
}
const src = { source: 'toy vendor doc', confidence: 'SRC' } as const;
const tables: ProfileTables<Config> = {
  general: [
    {
      id: 'TOY-G1',
      rule: 'Tensors have at most maxRank dimensions.',
      effect: 'cpu',
      status: 'unsupported rank',
      ...src,
      test: (c, config) => {
        const t = c.outputs.find((o) => o.shape.length > config.maxRank);
        return t ? `tensor rank ${t.shape.length} > ${config.maxRank}` : undefined;
      },
    },
    { id: 'TOY-G2', rule: 'Float models are not compiled.', effect: 'blocks', status: 'Model not quantized', ...src, fix: 'quantize it', test: (c) => (c.outputs.some((o) => o.type === 'FLOAT32') ? 'float32 output' : undefined) },
  ],
  ops: [
    { opcode: 'ADD', name: 'Add', ...src },
    { opcode: 'MUL', since: 14, ...src, confidence: 'UNCONFIRMED' },
    { opcode: 'SUB', maxVersion: 1, ...src },
    { opcode: 'SOFTMAX', ...src, rules: [{ id: 'TOY-SOFTMAX', rule: 'slow', effect: 'warn', ...src, test: () => 'always' }] },
    { opcode: 'CUSTOM:npu', ...src },
  ],
  unlisted: { id: 'TOY-UNLISTED', rule: 'Operation not supported', status: 'Operation not supported', ...src },
  partitioning: { kind: 'unlimited', rule: 'any number of partitions', ...src },
  acceleratedStatus: 'Mapped',
  levelName: 'runtime',
};
const run = (level = 13) => ({ name: 'toy', title: 'Toy NPU', settings: { level }, config: { maxRank: 2 }, level });

describe('runProfile', () => {
  it('places op by op with the vendor status, and sums partitions and transitions', () => {
    const r = runProfile(chain(['ADD', 'ADD', 'TANH', 'ADD']), tables, run());
    expect(r.ops.map((o) => [o.opcode, o.placement, o.status, o.partition])).toEqual([
      ['ADD', 'accelerator', 'Mapped', 0],
      ['ADD', 'accelerator', 'Mapped', 0],
      ['TANH', 'cpu', 'Operation not supported', undefined],
      ['ADD', 'accelerator', 'Mapped', 1],
    ]);
    expect(r.ops[2]!.findings[0]).toMatchObject({ id: 'TOY-UNLISTED', values: 'TANH has no row in the table', effect: 'cpu' });
    expect(r.summary).toMatchObject({ verdict: 'partial', ops: 4, opsOnAccelerator: 3, partitions: 2, transitions: 2 });
  });

  it('gates rows by level and op version, and says when the deciding row is unconfirmed', () => {
    const r = runProfile(chain(['MUL', 'SUB']), tables, run(13));
    expect(r.ops[0]).toMatchObject({ placement: 'cpu', unconfirmed: true });
    expect(r.ops[0]!.findings[0]).toMatchObject({ rule: 'MUL: runtime 14 and later', values: 'runtime 13 < 14' });
    // accelerated by an unconfirmed row: says so too
    expect(runProfile(chain(['MUL']), tables, run(14)).ops[0]).toMatchObject({ placement: 'accelerator', unconfirmed: true });
    expect(runProfile(chain(['ADD']), tables, run(14)).ops[0]).toMatchObject({ placement: 'accelerator', unconfirmed: false });
    const v2 = model([act([1, 2]), act([1, 2])], [['SUB', [0], [1], {}, { version: 2 }]]);
    expect(runProfile(v2, tables, run()).ops[0]!.findings[0]).toMatchObject({ values: 'op version 2 > 1', effect: 'cpu' });
  });

  it('reports general rules with the offending values, and keeps warnings on accelerated ops', () => {
    const m = model([act([1, 2, 3]), act([1, 2, 3, 4]), act([1, 4])], [['ADD', [0], [1]], ['SOFTMAX', [1], [2]]]);
    const r = runProfile(m, tables, run());
    expect(r.ops[0]).toMatchObject({ placement: 'cpu', status: 'unsupported rank' });
    expect(r.ops[0]!.findings[0]!.values).toBe('tensor rank 4 > 2');
    expect(r.ops[1]).toMatchObject({ placement: 'accelerator', findings: [{ id: 'TOY-SOFTMAX', effect: 'warn' }] });
    expect(r.summary.warnings).toBe(1);
  });

  it('a blocking op refuses the whole model: the rest goes to the CPU pointing at it', () => {
    const m = model([act([1, 2]), act([1, 2]), act([1, 2], 'FLOAT32')], [['ADD', [0], [1]], ['ADD', [1], [2]]]);
    const r = runProfile(m, tables, run());
    expect(r.summary).toMatchObject({ verdict: 'blocked', opsOnAccelerator: 0, partitions: 0 });
    expect(r.ops[1]).toMatchObject({ placement: 'blocks', status: 'Model not quantized' });
    expect(r.ops[0]!.findings[0]).toMatchObject({ id: 'MODEL-REFUSED', values: 'the model is refused because of ADD #1' });
  });

  it('keys custom ops by their code and counts MACs', () => {
    const tensors = [act([1, 8, 8, 4]), konst([16, 3, 3, 4]), konst([16], 'INT32'), act([1, 8, 8, 16]), act([1, 1024])];
    const m = model(tensors, [['CONV_2D', [0, 1, 2], [3]], ['CUSTOM', [3], [4], {}, { customCode: 'npu' }]]);
    const r = runProfile(m, tables, run());
    expect(r.ops.map((o) => [o.opcode, o.placement, o.macs])).toEqual([
      ['CONV_2D', 'cpu', 8 * 8 * 16 * 3 * 3 * 4],
      ['CUSTOM:npu', 'accelerator', 0],
    ]);
    expect(r.summary).toMatchObject({ macs: 36864, macsOnAccelerator: 0, transitions: 1 });
  });

  it('an info row (n-bit storage) is reported on the op and keeps it on the accelerator, not as a warning', () => {
    const nbit = { ...tables, general: [...tables.general, { id: 'TOY-NBIT', rule: 'n-bit values run on the 8-bit kernels', effect: 'info' as const, ...src, test: narrowStorage }] };
    const m = model([act([1, 2], 'INT8', { name: 'x', bits: 4 }), act([1, 2]), act([1, 2])], [['ADD', [0], [1]], ['ADD', [1], [2]]]);
    const r = runProfile(m, nbit, run());
    expect(r.ops.map((o) => [o.placement, o.status, o.findings.map((f) => `${f.id}: ${f.values}`)])).toEqual([
      ['accelerator', 'Mapped', ['TOY-NBIT: 4-bit input "x" in INT8']],
      ['accelerator', 'Mapped', []],
    ]);
    expect(r.summary).toMatchObject({ verdict: 'accelerator', warnings: 0, partitions: 1 });
  });

  it('an all-accelerated model has the verdict accelerator', () => {
    expect(runProfile(chain(['ADD', 'ADD']), tables, run()).summary).toMatchObject({ verdict: 'accelerator', opsOnAccelerator: 2, partitions: 1, transitions: 0 });
    expect(runProfile(chain(['TANH']), tables, run()).summary.verdict).toBe('cpu');
  });
});
