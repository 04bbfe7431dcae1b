// What counts as a Node built-in in a browser bundle: `node:` specifiers and the bare names
// of Node's core modules, whether they were bundled, left external or emptied by a bundler.
import { builtinModules } from 'node:module';

const BARE = new Set(builtinModules.filter((m) => !m.startsWith('_')));

export function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return BARE.has(specifier) || BARE.has(specifier.split('/')[0]!);
}

/**
 * Node built-ins that bundled code still imports: ESM imports and esbuild's `__require` of a
 * module it left external. Not a bare `require("fs")`: tfjs-backend-wasm embeds its worker's
 * source as a string, whose Node branch says so, and a string is not an import.
 */
export function builtinsInCode(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bimport\s*(?:[\w*{}\s,]+from\s*)?["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\b__require\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) if (isNodeBuiltin(m[1]!)) found.add(m[1]!);
  }
  // Vite's stub for a built-in it externalized "for browser compatibility" (empty at run time)
  for (const m of code.matchAll(/__vite-browser-external:([\w:/]+)/g)) found.add(m[1]!);
  return [...found].sort();
}
