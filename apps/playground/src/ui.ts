// Small DOM helpers: the page is plain HTML with ids, filled in by main.ts.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

export function setText(id: string, text: string): void {
  byId(id).textContent = text;
}

export const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

/** Appends a row of cells to a table body. */
export function addRow(tbodyId: string, cells: readonly string[]): void {
  const row = document.createElement('tr');
  for (const text of cells) {
    const cell = document.createElement('td');
    cell.textContent = text;
    row.append(cell);
  }
  byId(tbodyId).append(row);
}

/** A download link for `bytes`, added to the element `parentId` (replacing one with the same id). */
export function addDownload(parentId: string, id: string, fileName: string, bytes: Uint8Array, label: string): HTMLAnchorElement {
  document.getElementById(id)?.remove();
  const link = document.createElement('a');
  link.id = id;
  link.className = 'download';
  link.download = fileName;
  link.href = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  link.textContent = `${label} (${formatBytes(bytes.byteLength)})`;
  byId(parentId).append(link);
  return link;
}

/** Positive integer from the query string (`?float=30`), else `fallback`. */
export function intParam(name: string, fallback: number): number {
  const value = Number(new URLSearchParams(location.search).get(name));
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
