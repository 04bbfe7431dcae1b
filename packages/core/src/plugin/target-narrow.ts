import type { ModelTensor, OpContext } from './target-model.js';

/**
 * n-bit tensors (scheme-nbit) are stored in a wider TFLite type: 4-bit weights in an INT8 tensor.
 * No accelerator reads the "qatkit.bits" metadata that names the true width, so every target runs
 * them on its ordinary kernels for the storage type. Targets report that as a note (one row each,
 * with the vendor's own words), sharing this test so they agree on which ops it concerns.
 */

/** Bits each TFLite integer type holds. */
const STORAGE_BITS: Readonly<Record<string, number>> = { INT4: 4, INT8: 8, UINT8: 8, INT16: 16 };

export interface NarrowTensor {
  readonly tensor: ModelTensor;
  readonly bits: number;
  readonly storageBits: number;
}

/** The op's tensors (inputs, constants included, then outputs) with fewer bits than their storage, each once. */
export function narrowTensors(c: OpContext): NarrowTensor[] {
  const out: NarrowTensor[] = [];
  const seen = new Set<ModelTensor>();
  for (const t of [...c.inputs, ...c.outputs]) {
    if (!t || t.bits === undefined || seen.has(t)) continue;
    seen.add(t);
    const storageBits = STORAGE_BITS[t.type];
    if (storageBits !== undefined && t.bits < storageBits) out.push({ tensor: t, bits: t.bits, storageBits });
  }
  return out;
}

/** How a note names one tensor: `4-bit weights "c1/weights" in INT8`. */
function describe(n: NarrowTensor, c: OpContext): string {
  const role = n.tensor.hasData ? 'weights' : c.outputs.includes(n.tensor) ? 'output' : 'input';
  return `${n.bits}-bit ${role} "${n.tensor.name}" in ${n.tensor.type}`;
}

/** A rule test: the op's narrow tensors as a finding's values (the first three), or undefined. */
export function narrowStorage(c: OpContext): string | undefined {
  const narrow = narrowTensors(c);
  if (narrow.length === 0) return undefined;
  const named = narrow.slice(0, 3).map((n) => describe(n, c));
  return named.join(', ') + (narrow.length > 3 ? `, and ${narrow.length - 3} more` : '');
}
