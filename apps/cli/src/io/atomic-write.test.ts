import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('writes the bytes, creates folders, and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qatkit-'));
    const target = join(dir, 'a', 'b', 'model.tflite');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(target, new Uint8Array([4, 5]));
    expect(Array.from(await readFile(target))).toEqual([4, 5]);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['model.tflite']);
  });
  it('fails cleanly when the target is a directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qatkit-'));
    await expect(writeFileAtomic(dir, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});
