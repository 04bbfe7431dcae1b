/** A plain-text table with aligned columns; numbers are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.every((r) => /^[-+]?[\d.,]+\s*(%|ms|s|KB|MB|B|×)?$/.test(r[c] ?? '')));
  const line = (cells: readonly string[], isHeader = false) =>
    cells.map((cell, c) => (numeric[c] && !isHeader ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header, true), rule, ...rows.map((r) => line(r))].join('\n');
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
