import onnxProto from 'onnx-proto';

export interface NodeSummary {
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** The nodes of an ONNX model, decoded with the same generated onnx.proto code the exporter writes with. */
export function readNodes(bytes: Uint8Array): NodeSummary[] {
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  return (model.graph?.node ?? []).map((n) => ({ opType: n.opType ?? '', domain: n.domain ?? '', inputs: n.input ?? [], outputs: n.output ?? [] }));
}

/** How many nodes of each op type (domain-qualified for contrib ops, e.g. com.microsoft.QLinearConv). */
export function histogram(nodes: readonly NodeSummary[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const n of nodes) {
    const key = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    h[key] = (h[key] ?? 0) + 1;
  }
  return h;
}

/** Float ops onnxruntime left between a DequantizeLinear and a QuantizeLinear (the QDQ pattern it failed to fuse). */
export function unfused(nodes: readonly NodeSummary[], opTypes: readonly string[]): NodeSummary[] {
  const producer = new Map(nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const readers = (name: string) => nodes.filter((n) => n.inputs.includes(name));
  return nodes.filter(
    (n) => opTypes.includes(n.opType) && n.domain === '' && producer.get(n.inputs[0]!)?.opType === 'DequantizeLinear' && n.outputs.some((o) => readers(o).some((r) => r.opType === 'QuantizeLinear')),
  );
}
