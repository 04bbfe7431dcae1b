// Loads onnxruntime-node (the native CPU binding shipped inside the npm package) once per process.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { checkInputs, dtypeOfData } from '@qatkit/core';
import type { CompileOptions, CompiledOnnx, OnnxRuntime, RunnerDType, RunnerOutput, TensorInfo } from './types.js';

type Ort = typeof import('onnxruntime-node');

const PASSED: readonly RunnerDType[] = ['float32', 'int32', 'uint8', 'int8'];

function infos(meta: readonly InferenceSession.ValueMetadata[], role: string): TensorInfo[] {
  return meta.map((m) => {
    if (!m.isTensor) throw new Error(`model ${role} '${m.name}' is not a tensor; this runner passes tensors only`);
    if (m.shape.some((d) => typeof d !== 'number' || d < 0)) {
      throw new Error(`model ${role} '${m.name}' has a dynamic shape [${m.shape.join(', ')}]; this runner runs models with static shapes`);
    }
    return { name: m.name, shape: m.shape as number[], dtype: m.type };
  });
}

function output(t: Tensor, name: string): RunnerOutput {
  const dtype = dtypeOfData(t.data);
  if (dtype === undefined || !PASSED.includes(dtype)) throw new Error(`model output '${name}' is ${t.type}; this runner returns ${PASSED.join(', ')}`);
  // Copy: onnxruntime may reuse or free the output's memory with the session.
  return { data: t.data.slice() as RunnerOutput['data'], shape: [...t.dims], dtype };
}

async function compile(ort: Ort, model: Uint8Array, options: CompileOptions): Promise<CompiledOnnx> {
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: 1,
      // Errors only: its warnings (e.g. that a saved optimized model is machine-specific) are noise here; failures still throw.
      logSeverityLevel: 3,
      ...(options.optimizedModelFilePath === undefined ? {} : { optimizedModelFilePath: options.optimizedModelFilePath }),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`onnxruntime could not load the model (${model.length} bytes): ${reason}`, { cause });
  }
  const inputs = infos(session.inputMetadata, 'input');
  const outputs = infos(session.outputMetadata, 'output');
  let released = false;
  return {
    inputs,
    outputs,
    async run(feeds) {
      if (released) throw new Error('run() after dispose(): compile the model again');
      checkInputs(inputs, feeds);
      const named = Object.fromEntries(inputs.map((info, i) => [info.name, new ort.Tensor(info.dtype as 'float32', feeds[i]!.data as Float32Array, feeds[i]!.shape)]));
      const result = await session.run(named);
      return outputs.map((info) => output(result[info.name]!, info.name));
    },
    async dispose() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
}

let loading: Promise<OnnxRuntime> | undefined;

/** Loads onnxruntime-node (memoised: every call returns the same instance). */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  loading ??= import('onnxruntime-node').then(
    (ort) => ({ version: ort.env.versions.node ?? ort.env.versions.common, compile: (model, options = {}) => compile(ort, model, options) }),
    (cause: unknown) => {
      loading = undefined;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new Error(`Could not load onnxruntime-node (install it with ONNXRUNTIME_NODE_INSTALL=skip for the CPU build it ships): ${reason}`, { cause });
    },
  );
  return loading;
}
