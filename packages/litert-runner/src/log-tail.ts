// LiteRT's C++ side logs through emscripten's print hooks: a dozen INFO lines per model
// and a harmless "NPU accelerator could not be loaded" WARNING. Printing them would bury
// the caller's own output. Its ERROR lines, though, are the only account of a failure:
// when XNNPACK or a kernel refuses a model, or an op fails while running, LiteRT.js's
// compile and run calls still return normally ("Node number 3 (TfLiteXNNPackDelegate)
// failed to prepare", "gather index out of bounds", "Failed to invoke"). So we keep the
// problem lines logged since the last clear(); a call into wasm that logged any has failed.

/** Most problem lines kept per call; more are only counted. */
const MAX_PROBLEMS = 50;

/**
 * Whether a log line reports an error: LiteRT/TFLite's "ERROR: …" and "FATAL: …", or an
 * absl-style "E1125 10:00:00.000000 …" line. INFO, WARNING and VERBOSE lines are not.
 */
export function isProblemLine(line: string): boolean {
  const text = line.trimStart();
  return /^(ERROR|FATAL)\b/.test(text) || /^[EF]\d{4} \d{2}:\d{2}:\d{2}/.test(text);
}

export class LogTail {
  private problemLines: string[] = [];
  private dropped = 0;

  /** Emscripten's print/printErr hook: called once per line, without the newline. */
  readonly push = (line: string): void => {
    if (!isProblemLine(line)) return;
    const text = line.trim();
    if (this.problemLines.includes(text)) return;
    if (this.problemLines.length < MAX_PROBLEMS) this.problemLines.push(text);
    else this.dropped++;
  };

  /** Forgets earlier lines, so that `problems()` covers exactly one call into wasm. */
  clear(): void {
    this.problemLines = [];
    this.dropped = 0;
  }

  /** Problem lines logged since the last `clear()`, deduplicated, in order. */
  problems(): string[] {
    return [...this.problemLines];
  }

  /** How many further distinct problem lines were logged but not kept. */
  get droppedCount(): number {
    return this.dropped;
  }
}

/** Lines shown in an error message; the rest are counted. */
const SHOWN = 8;

/** `message`, followed by what LiteRT logged about it (at most a few lines). */
export function withLog(message: string, tail: LogTail): string {
  const problems = tail.problems();
  if (problems.length === 0) return message;
  const shown = problems.slice(0, SHOWN).map((line) => `  ${line}`);
  const more = problems.length - SHOWN + tail.droppedCount;
  if (more > 0) shown.push(`  … ${more} more`);
  return `${message}\nLiteRT log:\n${shown.join('\n')}`;
}

/** A hint for the failure LiteRT's lines describe, when we know a likely cause. */
export function hintFor(problems: readonly string[]): string {
  if (problems.some((line) => /XNNPACK/i.test(line))) {
    return (
      ' XNNPACK, LiteRT\'s CPU backend, refuses some int8 parameters, e.g. a CONV_2D or FULLY_CONNECTED ' +
      'whose input_scale × weight_scale / output_scale is 256 or more.'
    );
  }
  return '';
}
