import { describe, expect, it } from 'vitest';
import { isQatkitError } from '@qatkit/core';
import { nbit } from './nbit.js';
import type { NbitOptions } from './options.js';

/** The INVALID_OPTION message `nbit(options)` throws. */
function rejection(options: unknown): string {
  try {
    nbit(options as NbitOptions);
  } catch (e) {
    expect(isQatkitError(e, 'INVALID_OPTION')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('nbit accepted the options');
}

describe('nbit options', () => {
  it('takes every width from 2 to 8', () => {
    for (let bits = 2; bits <= 8; bits++) expect(nbit({ weightBits: bits, activationBits: bits }).options.weightBits).toBe(bits);
  });

  it.each([
    [{ weightBits: 1 }, /weightBits must be an integer from 2 to 8.*got 1/],
    [{ weightBits: 9 }, /weightBits .* got 9/],
    [{ activationBits: 4.5 }, /activationBits .* got 4\.5/],
    [{ activationBits: '4' }, /activationBits .* got 4/],
    [{ weightSymmetric: false }, /weightSymmetric: false is not supported/],
    [{ activationSymmetric: 'yes' }, /activationSymmetric must be true or false/],
    [{ perAxis: 1 }, /perAxis must be true or false/],
    [{ emaDecay: 1 }, /emaDecay must be in \(0, 1\)/],
    [{ weightbits: 4 }, /unknown option weightbits/],
    [{ layers: {} }, /layers must be an array/],
    [{ layers: [{ match: {} }] }, /layers\[0\]\.match needs a name/],
    [{ layers: [{ match: { name: 3 } }] }, /layers\[0\]\.match\.name must be a string or a RegExp/],
    [{ layers: [{ match: { className: 'Conv3D' } }] }, /layers\[0\]\.match\.className "Conv3D" is not a layer class/],
    [{ layers: [{ match: { name: 'a' } }, { match: { name: 'b' }, activationBits: 12 }] }, /layers\[1\]\.activationBits must be an integer from 2 to 8.*got 12/],
    [{ layers: [{ match: { name: 'a' }, bits: 4 }] }, /unknown option layers\[0\]\.bits/],
    [{ layers: [{ match: { className: 'Dense' }, perAxis: true }] }, /layers\[0\]\.perAxis: layers of class Dense have no weights with output channels/],
    [{ layers: [{ match: { className: 'ReLU' }, perAxis: true }] }, /layers\[0\]\.perAxis: layers of class ReLU/],
  ])('refuses %j, naming the option', (options, message) => {
    expect(rejection(options)).toMatch(message);
  });

  it('accepts per-axis overrides on classes with channels', () => {
    for (const className of ['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv1D']) {
      expect(nbit({ perAxis: false, layers: [{ match: { className }, perAxis: true }] }).options.layers).toHaveLength(1);
    }
  });
});
