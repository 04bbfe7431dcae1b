import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQatkitError } from '@qatkit/core';
import { consumers, walkModel } from './walk.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

describe('walkModel', () => {
  it('reads a functional model as a graph: two inputs, a shared layer, a nested Sequential, two outputs', () => {
    const a = tf.input({ shape: [4], name: 'a' });
    const b = tf.input({ shape: [4], name: 'b' });
    const shared = L.dense({ units: 4, name: 'shared' });
    const inner = tf.sequential({ name: 'inner', layers: [L.dense({ inputShape: [4], units: 3, name: 'inner_dense' }), L.reLU({ name: 'inner_relu' })] });
    const ya = shared.apply(a) as Sym;
    const yb = shared.apply(b) as Sym;
    const sum = L.add({ name: 'sum' }).apply([ya, yb]) as Sym;
    const model = tf.model({ inputs: [a, b], outputs: [inner.apply(sum) as Sym, ya], name: 'm' });
    const g = walkModel(model);
    expect(g.inputs.map((i) => i.id)).toEqual(['a', 'b']);
    expect(g.nodes.map((n) => [n.id, n.path, n.application, n.inputs.join('+')])).toEqual([
      ['shared', 'shared', 0, 'a'],
      ['shared_1', 'shared', 1, 'b'],
      ['sum', 'sum', 0, 'shared+shared_1'],
      ['inner/inner_dense', 'inner/inner_dense', 0, 'sum'],
      ['inner/inner_relu', 'inner/inner_relu', 0, 'inner/inner_dense'],
    ]);
    expect(g.outputs).toEqual(['inner/inner_relu', 'shared']);
    expect(consumers(g).get('shared')!.map((n) => n.id)).toEqual(['sum']);
  });

  it('walks a Sequential model in order and a deep chain without exhausting the stack', () => {
    const layers = [L.dense({ inputShape: [2], units: 2 }), ...Array.from({ length: 3000 }, () => L.reLU())];
    const g = walkModel(tf.sequential({ layers }));
    expect(g.nodes).toHaveLength(3001);
    expect(g.nodes[1]!.inputs).toEqual([g.nodes[0]!.id]);
  });

  it('refuses what is not a layers model, naming what it expected', () => {
    let err: unknown;
    try {
      walkModel({ predict: () => null } as unknown as tf.LayersModel);
    } catch (e) {
      err = e;
    }
    expect(isQatkitError(err, 'UNSUPPORTED_LAYER')).toBe(true);
    expect(String(err)).toMatch(/expected a tfjs LayersModel \(tf.sequential or tf.model\)/);
  });
});
