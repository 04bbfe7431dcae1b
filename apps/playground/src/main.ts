// Wires the page: picks the best tfjs backend, loads the data, runs the demo on request (or at
// once with `?auto`), and handles the "your own model" file picker. State for tests and for
// the curious goes on `window.qatkitPlayground`.
import '@tensorflow/tfjs-backend-webgpu'; // registers 'webgpu' where the browser has it
import { initBackend } from '@qatkit/tfjs';
import { preferredBackend } from './backend-choice.js';
import { loadSplit, type Split } from './data.js';
import { runDemo, type DemoOutcome } from './run-demo.js';
import { byId, intParam, setText } from './ui.js';
import { handleOwnModel } from './user-model.js';

interface PlaygroundState {
  status: 'starting' | 'ready' | 'training' | 'done' | 'error';
  backend?: string;
  error?: string;
  outcome?: DemoOutcome;
  ownModel?: { tfliteBytes: number; opcodes: string[] } | undefined;
}

const state: PlaygroundState = { status: 'starting' };
(window as unknown as { qatkitPlayground: PlaygroundState }).qatkitPlayground = state;

function fail(error: unknown): void {
  state.status = 'error';
  state.error = error instanceof Error ? error.message : String(error);
  setText('status', `error: ${state.error}`);
  byId('status').className = 'error';
  console.error(error);
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const floatInput = byId<HTMLInputElement>('float-steps');
  const qatInput = byId<HTMLInputElement>('qat-steps');
  floatInput.value = String(intParam('float', 300));
  qatInput.value = String(intParam('qat', 150));

  // webgpu → webgl → wasm → cpu from the preferred one: the first that starts here wins
  const wasmPaths = new URL('tfjs-wasm/', document.baseURI).href;
  const { choice, why } = preferredBackend(location.search);
  state.backend = await initBackend(choice, { wasmPaths });
  setText('backend', why ? `${state.backend} (${why})` : state.backend);

  const base = new URL('data/', document.baseURI).href;
  const [train, test]: Split[] = await Promise.all([loadSplit(base, 'train'), loadSplit(base, 't10k')]);
  setText('data', `Fashion-MNIST subset, ${train.count} training / ${test.count} test images`);
  state.status = 'ready';
  setText('status', 'ready');

  const button = byId<HTMLButtonElement>('train');
  const run = async () => {
    button.disabled = true;
    state.status = 'training';
    try {
      state.outcome = await runDemo(train, test, {
        floatSteps: Number(floatInput.value) || 300,
        qatSteps: Number(qatInput.value) || 150,
        batchSize: intParam('batch', 64),
        testCount: intParam('test', test.count),
      });
      state.status = 'done';
      setText('status', 'done');
    } catch (error) {
      fail(error);
    } finally {
      button.disabled = false;
    }
  };
  button.disabled = false;
  button.addEventListener('click', () => void run());
  byId<HTMLInputElement>('model-files').addEventListener('change', (event) => {
    const files = [...((event.target as HTMLInputElement).files ?? [])];
    handleOwnModel(files, train).then((result) => (state.ownModel = result), fail);
  });
  if (params.has('auto')) await run();
}

start().catch(fail);
