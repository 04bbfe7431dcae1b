import { QatkitError } from '../errors.js';
import { validateGraph } from '../ir/validate.js';
import type { Graph } from '../ir/types.js';
import type { ExportOptions, Exporter } from './exporter.js';
import type { QuantizeScheme } from './scheme.js';
import type { TargetProfile, TargetReport } from './target.js';
import type { TargetModel } from './target-model.js';

export interface QuantizerOptions {
  readonly scheme: QuantizeScheme;
  readonly exporters?: readonly Exporter[];
  readonly targets?: readonly TargetProfile[];
}

/** One composition of plugins. Instance-scoped: two quantizers never share state. */
export interface Quantizer {
  readonly scheme: QuantizeScheme;
  readonly exporters: readonly Exporter[];
  readonly targets: readonly TargetProfile[];
  /** Applies the scheme's graph transforms, in order. */
  prepare(graph: Graph): Graph;
  /** Exports with the exporter registered for `format`. */
  export(graph: Graph, format: string, options?: ExportOptions): Uint8Array;
  /** Every target's op-by-op report on a deployable model (e.g. `readTflite(bytes)` of an export). */
  check(model: TargetModel): TargetReport[];
}

function assertUnique(kind: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new QatkitError('DUPLICATE_PLUGIN', `two ${kind} named "${n}" were given to createQuantizer; pass each once`);
    seen.add(n);
  }
}

export function createQuantizer(options: QuantizerOptions): Quantizer {
  const { scheme, exporters = [], targets = [] } = options;
  if (!scheme) throw new QatkitError('INVALID_OPTION', 'createQuantizer needs a scheme, e.g. default8bit() from @qatkit/scheme-8bit');
  assertUnique('exporters for format', exporters.map((e) => e.format));
  assertUnique('targets', targets.map((t) => t.name));
  const prepare = (graph: Graph): Graph => {
    let g = graph;
    for (const t of scheme.transforms) g = t.apply(g);
    validateGraph(g);
    return g;
  };
  return Object.freeze({
    scheme,
    exporters,
    targets,
    prepare,
    export(graph: Graph, format: string, exportOptions?: ExportOptions): Uint8Array {
      const exporter = exporters.find((e) => e.format === format);
      if (!exporter) {
        const known = exporters.map((e) => e.format).join(', ') || 'none';
        throw new QatkitError('NOT_FOUND', `no exporter for format "${format}" (registered: ${known})`);
      }
      return exporter.export(prepare(graph), exportOptions);
    },
    check(model: TargetModel): TargetReport[] {
      return targets.map((t) => t.check(model));
    },
  });
}
