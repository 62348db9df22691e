export { OptimError, OptionError, UsageError } from "./errors.js";
export type { Transformation, StateOf, EmptyState, CountState } from "./transformation.js";
export { type StepCount, countTensor, countValue } from "./count.js";
export { type Mask, type MaskTree, type MaskPredicate, defaultMask, resolveMask } from "./mask.js";
export { identity } from "./identity.js";
export { chain, type ChainState } from "./chain.js";
export { scale, scaleByLearningRate } from "./scale.js";
export { traceMomentum, type TraceMomentumOptions, type TraceMomentumState } from "./trace-momentum.js";
export { emaMomentum, type EmaMomentumOptions, type EmaMomentumState } from "./ema-momentum.js";
export { scaleByAdam, type ScaleByAdamOptions, type ScaleByAdamState } from "./scale-by-adam.js";
export { scaleByRms, type ScaleByRmsOptions, type ScaleByRmsState } from "./scale-by-rms.js";
export { addDecayedWeights, type AddDecayedWeightsOptions } from "./add-decayed-weights.js";
export { addL2Gradient, type AddL2GradientOptions } from "./add-l2-gradient.js";
export { clip, type ClipOptions } from "./clip.js";
export { clipByGlobalNorm, type ClipByGlobalNormOptions } from "./clip-by-global-norm.js";
export { masked } from "./masked.js";
export { applyUpdates } from "./apply-updates.js";
export {
  type Schedule, type ScheduleLike, constantSchedule, stepSchedule, piecewiseConstantSchedule, exponentialDecaySchedule,
  cosineDecaySchedule, warmRestartsSchedule, cyclicSchedule, linearSchedule, linearWarmup, joinSchedules,
  type StepScheduleOptions, type PiecewiseConstantScheduleOptions, type ExponentialDecayScheduleOptions,
  type CosineDecayScheduleOptions, type WarmRestartsScheduleOptions, type CyclicScheduleOptions, type LinearScheduleOptions,
  type LinearWarmupOptions,
} from "./schedules.js";
export {
  sgd, momentum, adam, adamw, rmsprop,
  type SgdOptions, type MomentumOptions, type AdamOptions, type AdamwOptions, type RmspropOptions, type WeightDecayOptions,
} from "./aliases.js";
export type { Loss } from "./loss.js";
export { modifiedLossGD, modifiedLossSGD, implicitGdTerm, implicitSgdTerm } from "./modified-loss.js";
export { expectedSgdTerm, type PerExampleLosses } from "./expected-sgd-term.js";
export { gradientFlow, type GradientFlowOptions, type FlowPath } from "./gradient-flow.js";
export {
  hessianTopEigenvalue, hessianTopEigenpair, hessianTrace, hessianTraceEstimate,
  type PowerIterationOptions, type Eigenpair, type HutchinsonOptions, type TraceEstimate,
} from "./sharpness.js";
export { samObjective, sam, type SamOptions, type NamedPluginOptions } from "./sam.js";
export { floodedLoss, flooding, type FloodingOptions } from "./flooding.js";
export { entropySgdObjective, entropySgd, type EntropySgdOptions } from "./entropy-sgd.js";
export { modifiedLoss, type ModifiedLossOptions } from "./modified-loss-plugin.js";
export { sharpnessMonitor, type SharpnessMonitorOptions } from "./sharpness-monitor.js";
export { decoupledWeightDecay, type DecoupledWeightDecayOptions } from "./weight-decay-plugin.js";
export {
  earlyStopping, type EarlyStoppingOptions, type EarlyStoppingMetric, type EarlyStoppingBest, type EarlyStoppingState,
  type EarlyStoppingPlugin,
} from "./early-stopping.js";
