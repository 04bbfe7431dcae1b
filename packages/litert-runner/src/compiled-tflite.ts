// Wraps LiteRT.js's CompiledModel behind our synchronous CompiledTflite.
//
// LiteRT.js only offers an async `run()` (it may copy tensors between accelerators).
// On the wasm CPU path nothing there needs to await: the compiled model's wasm `run`
// returns its output buffers directly in the non-JSPI builds, which are the only ones
// Node picks. So we call that binding ourselves. It skips LiteRT's JS-side buffer
// check, which is why checkInputs() must reject every mismatch first: the binding
// would otherwise read a wrong-sized buffer as if it fitted. The private fields we
// reach into are pinned by the exact @litertjs/core version in package.json.
import type { CompiledModel, Tensor as LiteRtTensor, TensorDetails } from '@litertjs/core';
import { checkInputs, dtypeOfData } from './check-inputs.js';
import { withLog, type LogTail } from './log-tail.js';
import type { CompiledTflite, RunnerDType, RunnerOutput, RunnerTensor, TensorInfo } from './types.js';

type TensorCtor = new (data: RunnerTensor['data'], shape: number[]) => LiteRtTensor;
type BufferCtor = new (buffer: LiteRtTensor['liteRtTensorBuffer']) => LiteRtTensor;

interface CompiledModelInternals {
  liteRtCompiledModel: { run(signature: number, inputs: unknown[]): unknown };
  defaultSignature: { signatureIndex: number };
}

export interface CoreApi {
  Tensor: TensorCtor & BufferCtor;
}

export function tensorInfo(details: readonly TensorDetails[]): TensorInfo[] {
  return details.map((d) => ({ name: d.name, shape: Array.from(d.shape), dtype: d.dtype }));
}

function toOutput(tensor: LiteRtTensor, info: TensorInfo | undefined): RunnerOutput {
  const data = tensor.toTypedArray() as RunnerOutput['data'];
  const dtype = dtypeOfData(data);
  if (dtype === undefined || dtype !== tensor.type.dtype) {
    throw new Error(`output '${info?.name ?? '?'}' has element type ${tensor.type.dtype}, which this runner cannot return`);
  }
  return { data, shape: Array.from(tensor.type.layout.dimensions), dtype: dtype satisfies RunnerDType };
}

export class LiteRtCompiledTflite implements CompiledTflite {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  private disposed = false;

  constructor(
    private readonly core: CoreApi,
    private readonly model: CompiledModel,
    private readonly log: LogTail,
  ) {
    this.inputs = tensorInfo(model.getInputDetails());
    this.outputs = tensorInfo(model.getOutputDetails());
  }

  run(inputs: RunnerTensor[]): RunnerOutput[] {
    if (this.disposed) throw new Error('run() called on a disposed model');
    checkInputs(this.inputs, inputs);
    const internals = this.model as unknown as CompiledModelInternals;
    const tensors: LiteRtTensor[] = [];
    const results: LiteRtTensor[] = [];
    this.log.clear();
    try {
      for (const [i, input] of inputs.entries()) tensors.push(new this.core.Tensor(input.data, this.inputs[i].shape));
      const buffers = internals.liteRtCompiledModel.run(
        internals.defaultSignature.signatureIndex,
        tensors.map((t) => t.liteRtTensorBuffer),
      );
      if (!Array.isArray(buffers)) {
        // A JSPI build would return a promise here; loadLiteRt() never selects one.
        throw new Error('the loaded LiteRT build runs asynchronously, which this runner does not support');
      }
      for (const buffer of buffers) results.push(new this.core.Tensor(buffer as LiteRtTensor['liteRtTensorBuffer']));
      return results.map((t, i) => toOutput(t, this.outputs[i]));
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new Error(withLog(`LiteRT failed to run the model: ${reason}`, this.log), { cause });
    } finally {
      for (const t of [...tensors, ...results]) t.delete();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.delete();
  }
}
