import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `onnx.checker.check_model(model, full_check=True)` (Debian's python3-onnx; /usr/bin/python3,
 * because the python3 first on PATH may be another install without onnx) on each model; resolves
 * to the error text per failing model, empty when all pass. One Python process for all of them.
 */
export function checkModels(models: Readonly<Record<string, Uint8Array>>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'qatkit-onnx-check-'));
  try {
    const files = Object.entries(models).map(([name, bytes], i) => {
      const file = join(dir, `${i}.onnx`);
      writeFileSync(file, bytes);
      return [name, file] as const;
    });
    const script = [
      'import json, sys, onnx',
      'errors = {}',
      'for name, path in json.loads(sys.argv[1]):',
      '    try:',
      '        onnx.checker.check_model(onnx.load(path), full_check=True)',
      '    except Exception as e:',
      '        errors[name] = str(e)',
      'print(json.dumps(errors))',
    ].join('\n');
    const out = execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(files)], { encoding: 'utf8' });
    return JSON.parse(out) as Record<string, string>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

