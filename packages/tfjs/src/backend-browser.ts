// The browser half of initBackend, swapped in for backend-node.js by package.json's "browser"
// field. Browsers have no tfjs-node, and where the wasm binaries live is the page's business:
// pass `wasmPaths` to initBackend (as with tfjs's own setWasmPaths) or keep tfjs's default.

export function defaultWasmPaths(): string | undefined {
  return undefined;
}

export function loadTfjsNode(): Promise<boolean> {
  return Promise.resolve(false);
}
