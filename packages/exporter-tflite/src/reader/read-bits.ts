import type { Model } from '../generated/tflite/model.js';
import { BITS_METADATA, parseBitsPayload } from '../writer/bits-metadata.js';
import { malformed } from './read-tensors.js';
import type { TfliteSubgraphSummary } from './summary.js';

/**
 * Subgraph 0 with each tensor's true bit width from the "qatkit.bits" metadata (scheme-nbit
 * exports: n-bit values in int8 tensors); unchanged when the file has no such entry.
 */
export function withNarrowBits(model: Model, subgraphs: TfliteSubgraphSummary[]): TfliteSubgraphSummary[] {
  const first = subgraphs[0];
  if (!first) return subgraphs;
  for (let i = 0; i < model.metadataLength(); i++) {
    const entry = model.metadata(i)!;
    if (entry.name() !== BITS_METADATA) continue;
    const index = entry.buffer();
    if (index >= model.buffersLength()) malformed(`metadata "${BITS_METADATA}" refers to buffer ${index}, but there are ${model.buffersLength()}`);
    const data = model.buffers(index)!.dataArray();
    if (!data) malformed(`metadata "${BITS_METADATA}" has an empty buffer`);
    const bits = parseBitsPayload(data, first.tensors.length);
    if (typeof bits === 'string') malformed(`metadata "${BITS_METADATA}" ${bits}`);
    const tensors = first.tensors.map((t, k) => (bits.has(k) ? { ...t, bits: bits.get(k)! } : t));
    return [{ ...first, tensors }, ...subgraphs.slice(1)];
  }
  return subgraphs;
}
