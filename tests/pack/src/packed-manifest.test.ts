import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkPackedPackage, type PackedManifest } from './packed-manifest.js';
import { readTarball } from './tarball.js';

// The checks on made-up packages: each rule has to be able to fail.
const manifest = (extra: Partial<PackedManifest> = {}): PackedManifest => ({
  name: '@qatkit/registry',
  version: '0.1.0',
  files: ['dist'],
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  peerDependencies: { '@qatkit/core': '^0.1.0' },
  ...extra,
});
const shipped = new Set(['package.json', 'dist/index.js', 'dist/index.d.ts']);

describe('checkPackedPackage', () => {
  it('accepts a well-packed package', () => {
    expect(checkPackedPackage(manifest(), shipped)).toEqual([]);
  });

  it('rejects ranges only the workspace can resolve', () => {
    const m = manifest({ dependencies: { '@qatkit/core': 'workspace:^', flatbuffers: 'catalog:' }, devDependencies: { x: 'link:../x' } });
    expect(checkPackedPackage(m, shipped)).toEqual([
      '@qatkit/registry: dependencies.@qatkit/core is "workspace:^", which a registry install cannot resolve',
      '@qatkit/registry: dependencies.flatbuffers is "catalog:", which a registry install cannot resolve',
      '@qatkit/registry: devDependencies.x is "link:../x", which a registry install cannot resolve',
    ]);
  });

  it('rejects a "files" list without dist, and a tarball without dist/ files', () => {
    expect(checkPackedPackage(manifest({ files: ['lib'] }), shipped)).toEqual(['@qatkit/registry: "files" does not include "dist"']);
    expect(checkPackedPackage(manifest({ main: undefined, types: undefined, exports: {} }), new Set(['package.json']))).toEqual([
      '@qatkit/registry: ships no dist/ files (not built?)',
    ]);
  });

  it('rejects exports, main, types and bin targets missing from the tarball', () => {
    const m = manifest({
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './extra': { import: './dist/extra.js' } },
      bin: { qatkit: './dist/bin.js' },
      types: './dist/types.d.ts',
    });
    expect(checkPackedPackage(m, shipped)).toEqual([
      '@qatkit/registry: types points at "./dist/types.d.ts", which is not in the tarball',
      '@qatkit/registry: exports points at "./dist/extra.js", which is not in the tarball',
      '@qatkit/registry: bin points at "./dist/bin.js", which is not in the tarball',
    ]);
  });

  it('rejects private packages, missing exports and shipped sources or tests', () => {
    const files = new Set([...shipped, 'src/index.ts', 'dist/index.test.js']);
    expect(checkPackedPackage(manifest({ private: true, exports: undefined }), files)).toEqual([
      '@qatkit/registry: is private, so it cannot be published',
      '@qatkit/registry: has no "exports"',
      '@qatkit/registry: ships files that are not meant to: src/index.ts, dist/index.test.js',
    ]);
  });
});

/** A pax extended-header record: `<length> <key>=<value>\n`, the length counting itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = rest.length + 1;
  while (String(length).length + rest.length !== length) length++;
  return `${length}${rest}`;
}

/** A ustar archive, written by hand so the reader is tested against the format itself. */
function tarOf(entries: Array<{ name: string; body: string; prefix?: string; type?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const { name, body, prefix = '', type = '0' } of entries) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 'utf8');
    header.write(Buffer.byteLength(body).toString(8).padStart(11, '0'), 124, 'ascii');
    header.write(type, 156, 'ascii');
    header.write('ustar\u000000', 257, 'ascii');
    header.write(prefix, 345, 'utf8');
    const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
    data.write(body, 0, 'utf8');
    blocks.push(header, data);
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

describe('readTarball', () => {
  it('reads regular files under package/, with ustar prefixes and pax paths', () => {
    const long = `dist/${'x'.repeat(120)}.js`;
    const files = readTarball(
      tarOf([
        { name: 'package/package.json', body: '{"name":"a"}' },
        { name: 'index.js', prefix: 'package/dist', body: 'export {};' },
        { name: 'PaxHeader', type: 'x', body: paxRecord('path', `package/${long}`) },
        { name: 'package/dist/truncated-name', body: 'long' },
        { name: 'package/dist', type: '5', body: '' },
      ]),
    );
    expect([...files.keys()]).toEqual(['package.json', 'dist/index.js', long]);
    expect(files.get('package.json')!.toString()).toBe('{"name":"a"}');
    expect(files.get(long)!.toString()).toBe('long');
  });

  it('throws on a truncated archive', () => {
    const whole = tarOf([{ name: 'package/a.js', body: 'x'.repeat(2000) }]);
    const cut = gzipSync(gunzipSync(whole).subarray(0, 1024)); // header + half the body
    expect(() => readTarball(cut)).toThrow(/truncated tar entry/);
  });
});
