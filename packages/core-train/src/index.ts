export type { GradientTransformation, AnyTransformation } from "./transform.js";
export type {
  Batch, Mode, Site, ForwardContext, ForwardHookContext, Objective, ObjectiveContext, CancelScope, FitContext, Plugin,
  Dataset, FitEvent,
} from "./plugin.js";
export {
  PluginOptionError, optionValidators, optionOr, nearestName, describeValue,
  type PluginOptionErrorClass, type OptionKeys, type NumberRule, type ProbabilityRule, type OptionValidators,
} from "./plugin-options.js";
export {
  TrainError, FitOptionsError, PluginError, StateError, NonFiniteLossError, PredictiveError, type NonFiniteSource, type FitFailure, fitFailure,
} from "./errors.js";
export {
  type Initializer, type Fans, type KaimingOptions, kaimingUniform, kaimingNormal, torchDefaultWeight, torchDefaultBias,
  glorotUniform, glorotNormal, normalInit, uniformInit, constantInit, zerosInit,
} from "./init.js";
export { type Model, type ParamsOf, type ModelDTypeOptions, isModel, passThrough, site } from "./model.js";
export { type Activation, type ActivationName, resolveActivation } from "./activation.js";
export { linear, type LinearParams, type LinearOptions, type LayerInitOptions } from "./linear.js";
export { mlp, type MlpParams, type MlpOptions } from "./mlp.js";
export { conv1dOutputLength, type Conv1dParams, type Conv1dLayerOptions } from "./conv1d-layer.js";
export { conv1dNet, type Conv1dNetParams, type Conv1dNetOptions } from "./conv1d-net.js";
export {
  shallowNet, shallowNetLearnedJoints, type ShallowNetParams, type ShallowNetOptions, type ShallowNetJointsParams, type ShallowNetJointsOptions,
} from "./shallow-net.js";
export { gabor, gaborFunction, type GaborParams, type GaborOptions } from "./gabor.js";
export { type Loss, type LossName, sseLoss, mseLoss, crossEntropyLoss, crossEntropySumLoss, losses, resolveLoss } from "./losses.js";
export { type StepRecord, type EpochRecord, type History } from "./history.js";
export { type TrainState, type EpochAccumulator } from "./train-state.js";
export { serializeState, deserializeState, type SerializedTrainState, type SerializedTensor, type Json } from "./serialize-state.js";
export { sortPlugins } from "./plugin-order.js";
export { predict, evaluate, accuracy, type PredictOptions, type EvaluateOptions, type Evaluation } from "./predict.js";
export {
  leafPaths, leavesWithPaths, mapWithPaths, mapSelected, selectLeaves, maskInfo, weightsOnly, allParams,
  type PathLeaf, type ParamMask, type MaskInfo,
} from "./tree-paths.js";
export { batchesPerEpoch } from "./data-order.js";
export { type FitOptions, type FitResult, type StopReason, type Progress } from "./fit-options.js";
export { fit } from "./fit.js";
export {
  type Predictive, type PredictiveKind, type PredictiveOutput, type PredictiveOptions, type MembersPredictiveOptions,
  predictiveFromMembers, normalizeWeights, checkMembers, checkPredictiveOptions, softmaxRows, weightedMoments,
} from "./predictive.js";
export {
  DEFAULT_ECE_BINS, probabilityAccuracy, negativeLogLikelihood, brierScore, reliabilityDiagram, expectedCalibrationError,
  predictiveEntropy, mutualInformation, disagreement, gaussianNll, evaluatePredictive,
  type ReliabilityBin, type Reliability, type CalibrationOptions, type PredictiveMetrics,
} from "./metrics.js";
export { gru, type GruParams, type GruCellParams, type GruOptions } from "./gru.js";
export { checkHookContext } from "./hook-context.js";
