// LiteRT's C++ side logs through emscripten's print hooks: a dozen INFO lines per
// model and a harmless "NPU accelerator could not be loaded" WARNING. Printing them
// would bury the caller's own output, yet its ERROR lines are often the only account
// of why a model was rejected ("Variable tensors not yet supported", "quantized_dimension
// must be in range ..."). So we keep a short tail and attach its errors to our Errors.

const MAX_LINES = 200;

export class LogTail {
  private lines: string[] = [];

  readonly push = (line: string): void => {
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  };

  /** Forgets earlier lines so that the next `problems()` only covers one call into wasm. */
  clear(): void {
    this.lines = [];
  }

  /** ERROR lines logged since the last `clear()`, deduplicated, in order. */
  problems(): string[] {
    const seen = new Set<string>();
    for (const line of this.lines) {
      const text = line.trim();
      if (/^ERROR\b/.test(text) && !seen.has(text)) seen.add(text);
    }
    return [...seen];
  }
}

/** `message`, followed by what LiteRT logged about it (at most a few lines). */
export function withLog(message: string, tail: LogTail): string {
  const problems = tail.problems();
  if (problems.length === 0) return message;
  const shown = problems.slice(0, 6).map((line) => `  ${line}`);
  if (problems.length > shown.length) shown.push(`  … ${problems.length - shown.length} more`);
  return `${message}\nLiteRT log:\n${shown.join('\n')}`;
}
