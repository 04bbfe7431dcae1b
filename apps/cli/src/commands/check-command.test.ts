import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isQatkitError } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import type { CheckDocument } from '../check/check-json.js';
import { sharedModel } from '../check/test-models.js';
import { runCli as run } from '../test-utils/cli.js';

describe('qatkit check', () => {
  it('exits 0 when every op runs on every named accelerator, and prints a table per target', async () => {
    const r = await run(['check', sharedModel('hello_world_int8.tflite'), '--target', 'edgetpu', '--target', 'nnapi:30']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^hello_world_int8\.tflite: 3 ops, 1 subgraph/);
    expect(r.out).toContain('Coral Edge TPU (runtime 14, edgetpu_compiler 16): runs entirely on the accelerator');
    expect(r.out).toContain('Android NNAPI (API 30): runs entirely on the accelerator');
    expect(r.out).toMatch(/0-2 +3 +accelerator +FULLY_CONNECTED +Mapped to Edge TPU/);
  });

  it('exits 4 when an op falls back or a target refuses the model, and says why in the vendor\'s words', async () => {
    const r = await run(['check', sharedModel('hello_world_float.tflite'), '-t', 'edgetpu', '-t', 'imx8mp']);
    expect(r.code).toBe(4);
    expect(r.out).toContain('Coral Edge TPU (runtime 14, edgetpu_compiler 16): REFUSED: the model does not compile for this target');
    expect(r.out).toContain('BLOCKS CORAL-G6 (3 ops, first 0 FULLY_CONNECTED): float tensor "serving_default_dense_input:0" FLOAT32 [1, 1]');
    expect(r.out).toContain('      fix: quantize the whole model to int8');
    expect(r.out).toMatch(/WARN VX-G7 \(3 ops, first 0 FULLY_CONNECTED\)/);
  });

  it('checks every target by default', async () => {
    const r = await run(['check', sharedModel('person_detect_vela.tflite')]);
    expect(r.code).toBe(4);
    expect(r.out.match(/^\S.*: (runs entirely|partly|nothing|REFUSED)/gm)).toHaveLength(4);
    expect(r.out).toContain('Arm Ethos-U55 (256 MACs/cycle) (Vela 3.10): runs entirely on the accelerator');
  });

  it('--json prints the documented, stable document', async () => {
    const r = await run(['check', sharedModel('trained_lstm_int8.tflite'), '--json', '--target', 'nnapi:29', '--target', 'ethos-u']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.out) as CheckDocument;
    expect(Object.keys(doc)).toEqual(['schema', 'model', 'ok', 'targets']);
    expect(doc).toMatchObject({ schema: 'qatkit-check/1', ok: false, model: { file: 'trained_lstm_int8.tflite', bytes: 13952, subgraphs: 1, ops: 4, macs: 113120 } });
    expect(doc.targets.map((t) => [t.target, t.settings, t.summary.verdict])).toEqual([
      ['nnapi', { apiLevel: 29, maxPartitions: 3 }, 'partial'],
      ['ethos-u', { accelerator: 'ethos-u55-256' }, 'accelerator'],
    ]);
    expect(Object.keys(doc.targets[0]!)).toEqual(['target', 'title', 'settings', 'summary', 'ops', 'partitions', 'notes']);
    expect(Object.keys(doc.targets[0]!.summary)).toEqual(['verdict', 'ops', 'opsOnAccelerator', 'macs', 'macsOnAccelerator', 'partitions', 'transitions', 'warnings']);
    const op = doc.targets[0]!.ops.find((o) => o.placement === 'cpu')!;
    expect(Object.keys(op)).toEqual(['subgraph', 'index', 'opcode', 'name', 'version', 'placement', 'status', 'findings', 'unconfirmed', 'macs']);
    // the LSTM below API 30: int8 with a non-zero zero point is not TENSOR_QUANT8_SYMM (an unconfirmed row, and it says so)
    expect(op).toMatchObject({ opcode: 'UNIDIRECTIONAL_SEQUENCE_LSTM', unconfirmed: true, findings: [{ id: 'NN-G3-INT8', confidence: 'UNCONFIRMED' }] });
    const order = ['id', 'rule', 'values', 'effect', 'status', 'fix', 'source', 'confidence'];
    for (const f of doc.targets.flatMap((t) => [...t.ops.flatMap((o) => o.findings), ...t.notes])) expect(Object.keys(f)).toEqual(order.filter((k) => k in f));
  });

  it('--html writes one self-contained file beside the text report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qatkit-check-'));
    const file = join(dir, 'report.html');
    const r = await run(['check', sharedModel('micro_speech_quantized.tflite'), '--html', file]);
    expect(r.code).toBe(0); // every op on every accelerator; the i.MX 8M Plus warning does not fail the gate
    expect(r.out).toContain(`wrote ${file}`);
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html.match(/<g class="op [^"]*" data-op=/g)).toHaveLength(4 * 4);
  });

  it('is a usage error (exit 2) for an unknown target, and a MALFORMED_MODEL failure for a file that is not a model', async () => {
    const r = await run(['check', sharedModel('conv0.tflite'), '--target', 'tpu']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --target must be one of edgetpu, nnapi, imx8mp, ethos-u/);
    expect((await run(['check'])).err).toMatch(/missing required argument 'model'/);
    const dir = await mkdtemp(join(tmpdir(), 'qatkit-check-'));
    await writeFile(join(dir, 'bad.tflite'), 'not a flatbuffer at all');
    await expect(run(['check', join(dir, 'bad.tflite')])).rejects.toSatisfy((e: unknown) => isQatkitError(e, 'MALFORMED_MODEL'));
  });

  it('is listed in the program help with its exit code', async () => {
    const r = await run(['--help']);
    expect(r.out.replace(/\s+/g, ' ')).toContain('check [options] <model> say op by op where a .tflite runs on NPU targets');
    expect(r.out).toMatch(/4 {2}qatkit check: some op is not on a named accelerator/);
  });
});
