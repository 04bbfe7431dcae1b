// Every figure issue 9 asks for, by id (the ids the benches write). The report lists a missing
// one as "not measured", and the BENCHMARKS.md test fails on it.
export const REQUIRED_FIGURES: readonly { readonly id: string; readonly what: string }[] = [
  { id: 'train.cnn.wasm.qat-examples-per-s', what: 'QAT training examples/s, Fashion-MNIST CNN, wasm' },
  { id: 'train.cnn.cpu.qat-examples-per-s', what: 'QAT training examples/s, Fashion-MNIST CNN, cpu' },
  { id: 'train.mbv2.wasm.qat-examples-per-s', what: 'QAT training examples/s, MobileNetV2-0.35-96, wasm' },
  { id: 'train.mbv2.cpu.qat-examples-per-s', what: 'QAT training examples/s, MobileNetV2-0.35-96, cpu' },
  { id: 'train.cnn.wasm.qat-over-float', what: 'QAT step ÷ float step, CNN, wasm (goal ≤ 1.2×)' },
  { id: 'train.cnn.cpu.qat-over-float', what: 'QAT step ÷ float step, CNN, cpu (goal ≤ 1.2×)' },
  { id: 'train.mbv2.wasm.qat-over-float', what: 'QAT step ÷ float step, MobileNetV2-0.35-96, wasm (goal ≤ 1.2×)' },
  { id: 'train.mbv2.cpu.qat-over-float', what: 'QAT step ÷ float step, MobileNetV2-0.35-96, cpu (goal ≤ 1.2×)' },
  { id: 'train.cnn.wasm-over-stock-cpu', what: 'whole-step training, ours on wasm vs stock tfjs cpu (goal ≥ 20×)' },
  { id: 'export.mbv2.tflite.ms', what: 'export MobileNetV2-1.0-224 to TFLite: time (goal < 300 ms)' },
  { id: 'export.mbv2.onnx.ms', what: 'export MobileNetV2-1.0-224 to ONNX: time (goal < 300 ms)' },
  { id: 'export.mbv2.tflite.peak-mb', what: 'export to TFLite: peak memory' },
  { id: 'export.mbv2.onnx.peak-mb', what: 'export to ONNX: peak memory' },
  { id: 'export.mbv2.to-graph.ms', what: 'toGraph of MobileNetV2-1.0-224 (QAT model → int8 IR, before export; goal < 1 s)' },
  { id: 'deployed.mbv2.litert.float-over-int8', what: 'LiteRT wasm latency float ÷ int8, MobileNetV2 (goal ≥ 2×)' },
  { id: 'deployed.mbv2.ort.float-over-int8', what: 'onnxruntime CPU latency float ÷ int8, MobileNetV2 (goal ≥ 3×)' },
  { id: 'deployed.mbv2.tflite.size-ratio', what: 'file size float ÷ int8, MobileNetV2 (goal ≥ 3.9×)' },
  { id: 'check.mbv2.library.ms', what: '`qatkit check` MobileNetV2 against all targets: library' },
  { id: 'check.mbv2.cli.ms', what: '`qatkit check` MobileNetV2 against all targets: CLI' },
];

/** The benches in the order pnpm bench runs them (deployed and check read export's files). */
export const BENCH_IDS = ['training', 'export', 'deployed', 'check'] as const;
