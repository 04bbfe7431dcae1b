// The export command's option values, apart from the export code so that registering the command
// (and running any other command) does not load tfjs or the exporters.

export const EXPORT_FORMATS = ['tflite', 'onnx'] as const;
export const EXPORT_IO = ['float32', 'uint8', 'int8'] as const;

export interface ExportModelOptions {
  /** Path of the tf.io model.json. */
  readonly model: string;
  readonly format: (typeof EXPORT_FORMATS)[number];
  readonly io: (typeof EXPORT_IO)[number];
  /** Output file; default: model.<format> beside model.json. */
  readonly out?: string;
}
