/** Where the Edge TPU rules come from (ids as in shared/reference/targets.md §1.5). */
export const S = {
  modelsIntro: 'coral.ai/docs/edgetpu/models-intro (#model-requirements, #supported-operations)',
  axisOps: 'developer.axis.com/computer-vision/on-device/system-on-chip/artpec-7/supported-ops (verbatim copy of the Coral table; ARTPEC-7 DLPU = Edge TPU)',
  axisTips: 'developer.axis.com/computer-vision/on-device/system-on-chip/artpec-7/optimization-tips',
  axisPerChannel: 'developer.axis.com/computer-vision/computer-vision-on-device/optimization-tips',
  oldTable: 'github.com/dgist-datalab/Datalab_Intern Edge_TPU/convert_model_for_Edge_TPU.md (mirror of the old Coral table)',
  compiler: 'coral.ai/docs/edgetpu/compiler (parameter data caching); on-chip figures from compiler logs in google-coral/edgetpu#75, #393, #512',
  interpreter: 'tensorflow/lite/core/interpreter_builder.cc ParseQuantization; status line from google-coral/edgetpu#829',
  issue: (n: number): string => `github.com/google-coral/edgetpu/issues/${n}`,
} as const;
