export { PenaltyOptionError } from "./errors.js";
export { type ParamMask, weightsOnly, allParams, leavesWithPaths, mapWithPaths, type PathLeaf } from "./paths.js";
export { l2, l2Penalty, type L2Options } from "./l2.js";
export { l1, l1Penalty, type L1Options } from "./l1.js";
export { l1Prox, l1ProxTransform, softThreshold, type L1ProxOptions } from "./l1-prox.js";
export { elasticNet, elasticNetPenalty, type ElasticNetOptions } from "./elastic-net.js";
export { lp, lpPenalty, lpSum, type LpOptions } from "./lp.js";
export { l0Count, type L0CountOptions } from "./l0-count.js";
export { groupLasso, groupLassoPenalty, groupNorms, prunedGroups, type GroupLassoOptions } from "./group-lasso.js";
export {
  HARD_CONCRETE, hardConcreteSample, hardConcreteGate, hardConcreteNonZeroProb, type HardConcreteConstants,
} from "./hard-concrete.js";
export {
  l0Gates, withL0Gates, expectedL0, l0PrunedUnits,
  type L0GatesOptions, type WithL0GatesOptions, type L0GatedParams,
} from "./l0-gates.js";
export {
  spectralPenalty, spectralNorm, spectralNormEstimate, SpectralNormConvergenceError, type SpectralNormOptions, lipschitzBound, powerIteration, sigmaOf, PowerIterationVectors,
  type SpectralPenaltyOptions, type SpectralState,
} from "./spectral-norm.js";
export {
  spectralNormalization, maxNorm, projectMaxNorm, projectSpectral, type SpectralNormalizationOptions, type MaxNormOptions,
} from "./constraints.js";
export { activityRegularization, type ActivityOptions } from "./activity.js";
export { inputGradient, lossInputGradientNorm, outputInputGradientNorm, type InputGradientOptions } from "./input-gradient.js";
export { l2sp, l2spPenalty, type L2SpOptions } from "./l2-sp.js";
