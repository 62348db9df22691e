export {
  type Progress, type RunContext, type CheckpointStore, type ExperimentRun, type Experiment, type ParamsSchema,
  type PlotFigure, type PlotMark, defineExperiment,
} from "./experiment.js";
export { ExperimentError, UnknownExperimentError, ExperimentParamsError, ExperimentAbortedError, type ParamIssue } from "./errors.js";
export { listExperiments, getExperiment } from "./registry.js";
export { runExperiment, resolveParams, type RunExperimentOptions } from "./run-experiment.js";
export { type PluginSpec, definePlugin, UnknownPluginError } from "./plugins/catalog.js";
export { listPlugins, createPlugin } from "./plugins/lookup.js";
