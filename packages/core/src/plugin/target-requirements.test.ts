import { describe, expect, it } from 'vitest';
import type { TargetRequirements } from './target.js';
import { quantizationFor } from './target-requirements.js';

const t = (name: string, requirements: Omit<TargetRequirements, 'because'>) => ({ name, requirements: { ...requirements, because: [`${name} rule`] } });
const edgetpu = t('edgetpu', { perAxisWeights: true, io: ['int8', 'uint8'], batch: 1, activationBits: [8] });
const imx = t('imx8mp', { perAxisWeights: false, io: ['int8', 'uint8', 'float32'], activationBits: [8] });
const ethos = t('ethos-u', { perAxisWeights: true, io: ['int8', 'uint8'], batch: 1, activationBits: [8, 16] });

describe('quantizationFor', () => {
  it('turns one target into scheme and export options', () => {
    expect(quantizationFor([imx])).toEqual({ scheme: { perAxis: false }, export: { io: 'int8' }, activationBits: [8], because: ['imx8mp: imx8mp rule'] });
    expect(quantizationFor([edgetpu])).toMatchObject({ scheme: { perAxis: true }, export: { io: 'int8' }, batch: 1 });
  });

  it('merges several: per-tensor if any wants it, common I/O, smallest batch, common widths', () => {
    expect(quantizationFor([ethos, imx, edgetpu])).toMatchObject({ scheme: { perAxis: false }, export: { io: 'int8' }, batch: 1, activationBits: [8] });
  });

  it('gives the defaults without targets and refuses targets with nothing in common', () => {
    expect(quantizationFor([])).toMatchObject({ scheme: { perAxis: true }, export: { io: 'float32' } });
    const floatOnly = t('f', { perAxisWeights: true, io: ['float32'], activationBits: [8] });
    expect(() => quantizationFor([edgetpu, floatOnly])).toThrow(/share no model I\/O type \(edgetpu: int8\|uint8; f: float32\)/);
    const wide = t('w', { perAxisWeights: true, io: ['int8'], activationBits: [16] });
    expect(() => quantizationFor([edgetpu, wide])).toThrow(/share no activation width/);
  });
});
