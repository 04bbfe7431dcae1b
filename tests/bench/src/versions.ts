// Versions of what the figures depend on, read from the installed package.json files (pnpm
// links each dependency into the node_modules of the package that declares it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './results.js';

function versionAt(dir: string, name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, dir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '?';
  } catch {
    return 'not installed';
  }
}

/** node, tfjs, tfjs-backend-wasm, LiteRT.js, onnxruntime-node and qatkit's commit-independent version. */
export function versions(): Record<string, string> {
  return {
    node: process.version,
    '@tensorflow/tfjs': versionAt('tests/bench', '@tensorflow/tfjs'),
    '@tensorflow/tfjs-backend-wasm': versionAt('tests/bench', '@tensorflow/tfjs-backend-wasm'),
    '@litertjs/core': versionAt('packages/litert-runner', '@litertjs/core'),
    'onnxruntime-node': versionAt('packages/onnx-runner', 'onnxruntime-node'),
  };
}
