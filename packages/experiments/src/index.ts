export {
  type Progress, type RunContext, type CheckpointStore, type ExperimentRun, type Experiment, type ParamsSchema,
  type PlotFigure, type PlotMark, type SweepSpec, type SweepTrial, defineExperiment,
} from "./experiment.js";
export { ExperimentError, UnknownExperimentError, ExperimentParamsError, ExperimentAbortedError, type ParamIssue } from "./errors.js";
export { listExperiments, getExperiment } from "./registry.js";
export { runExperiment, resolveParams, resolvePlugins, type RunExperimentOptions } from "./run-experiment.js";
export { type PluginSpec, type PluginChoice, type OptionsSchema, definePlugin, UnknownPluginError } from "./plugins/catalog.js";
export { listPlugins, getPlugin, createPlugin, resolvePluginOptions } from "./plugins/lookup.js";
export { numberParam, intParam, enumParam, boolParam, pointParam, describeParams, type ParamInfo } from "./params.js";
export type * from "./result-types.js";
