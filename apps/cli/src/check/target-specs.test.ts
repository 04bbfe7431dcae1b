import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/usage.js';
import { DEFAULT_TARGETS, parseTarget } from './target-specs.js';

describe('--target values', () => {
  it('names a target and its one setting', () => {
    expect(parseTarget('edgetpu').settings).toEqual({ runtime: 14 });
    expect(parseTarget('edgetpu:13').settings).toEqual({ runtime: 13 });
    expect(parseTarget('nnapi:29').settings).toEqual({ apiLevel: 29, maxPartitions: 3 });
    expect(parseTarget('NNAPI').settings).toMatchObject({ apiLevel: 30 });
    expect(parseTarget('imx8mp').name).toBe('imx8mp');
    expect(parseTarget('ethos-u:u65-256').settings).toEqual({ accelerator: 'ethos-u65-256' });
    expect(parseTarget('ethos-u:ethos-u55-64').settings).toEqual({ accelerator: 'ethos-u55-64' });
    expect(DEFAULT_TARGETS.map((s) => parseTarget(s).name)).toEqual(['edgetpu', 'nnapi', 'imx8mp', 'ethos-u']);
  });

  it('turns unknown names and bad settings into usage errors that say what is allowed', () => {
    const message = (spec: string) => {
      try {
        parseTarget(spec);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error(`"${spec}" was accepted`);
    };
    expect(message('gpu')).toBe('--target must be one of edgetpu, nnapi, imx8mp, ethos-u, optionally with ":<setting>" (e.g. nnapi:30), got "gpu"');
    expect(message('nnapi:')).toMatch(/got "nnapi:"/);
    expect(message('nnapi:30:1')).toMatch(/got "nnapi:30:1"/);
    expect(message('nnapi:x')).toBe('--target: the Android API level must be a whole number, got "x"');
    expect(message('nnapi:26')).toBe('--target nnapi:26: nnapi: apiLevel must be an Android API level from 27 (NNAPI 1.0) to 35, got 26');
    expect(message('edgetpu:9')).toMatch(/runtime must be an Edge TPU runtime version from 10 to 14/);
    expect(message('imx8mp:1')).toBe('--target imx8mp takes no setting, got "imx8mp:1"');
    expect(message('ethos-u:u85-256')).toMatch(/accelerator must be one of ethos-u55-32, .*, got "ethos-u85-256"/);
  });
});
