// Which tfjs backend to start from. The order is webgpu → webgl → wasm → cpu (initBackend skips
// any that cannot start), with one exception: a WebGL that the browser emulates in software
// (SwiftShader, llvmpipe: no GPU, or GPU access disabled, as in headless CI) starts fine but
// trains ~30× slower than the wasm backend (measured here: ~2.5 s vs ~80 ms per step), so then
// the page skips the GPU backends and says why.
import type { BackendChoice } from '@qatkit/tfjs';

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|software|basic render/i;

/** The WebGL renderer string, or undefined when WebGL is unavailable. */
export function webglRenderer(): string | undefined {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return undefined;
  // the unmasked name where the browser shares it, else the generic one
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

const CHOICES: readonly BackendChoice[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** `?backend=wasm` forces a start; otherwise webgpu, unless the only GPU is a software one. */
export function preferredBackend(search: string): { choice: BackendChoice; why?: string } {
  const forced = new URLSearchParams(search).get('backend');
  if (forced && (CHOICES as readonly string[]).includes(forced)) return { choice: forced as BackendChoice, why: 'chosen in the URL' };
  const renderer = webglRenderer();
  const software = renderer?.match(SOFTWARE_RENDERERS)?.[0];
  if (software !== undefined) {
    return { choice: 'wasm', why: `WebGL here is software (${software}), slower than wasm` };
  }
  return { choice: 'webgpu' };
}
