// Test helpers: the shared real-world .tflite files, and a byte-level fix for their
// dynamic batch dimension.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('test-utils: no pnpm-workspace.yaml above this file');
    dir = parent;
  }
  return dir;
}

/** `<repo>/../shared/models`, where the team keeps third-party .tflite files. */
export const MODELS_DIR = resolve(repoRoot(), '../shared/models');

export function readModel(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(MODELS_DIR, name)));
}

// Minimal flatbuffer reading, enough to reach Model.subgraphs[*].tensors[*].shape_signature
// (field ids from tflite schema.fbs: Model.subgraphs = 2, SubGraph.tensors = 0,
// Tensor.shape_signature = 7).
function fieldOffset(view: DataView, table: number, id: number): number | undefined {
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  if (4 + 2 * id >= vtableSize) return undefined;
  const rel = view.getUint16(vtable + 4 + 2 * id, true);
  return rel === 0 ? undefined : table + rel;
}

function deref(view: DataView, at: number): number {
  return at + view.getUint32(at, true);
}

function vectorOf(view: DataView, table: number, id: number): { start: number; length: number } {
  const at = fieldOffset(view, table, id);
  if (at === undefined) return { start: 0, length: 0 };
  const vector = deref(view, at);
  return { start: vector + 4, length: view.getUint32(vector, true) };
}

/**
 * A copy of `model` whose dynamic dimensions (-1 in shape_signature) are pinned to 1,
 * i.e. what a static-shape export of the same network would carry. Same byte length:
 * the int32 entries are overwritten in place.
 */
export function pinDynamicDims(model: Uint8Array): Uint8Array {
  const out = model.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const root = deref(view, 0);
  const subgraphs = vectorOf(view, root, 2);
  for (let s = 0; s < subgraphs.length; s++) {
    const subgraph = deref(view, subgraphs.start + 4 * s);
    const tensors = vectorOf(view, subgraph, 0);
    for (let t = 0; t < tensors.length; t++) {
      const signature = vectorOf(view, deref(view, tensors.start + 4 * t), 7);
      for (let d = 0; d < signature.length; d++) {
        const at = signature.start + 4 * d;
        if (view.getInt32(at, true) === -1) view.setInt32(at, 1, true);
      }
    }
  }
  return out;
}
