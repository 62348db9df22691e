export { BayesError, BayesArgumentError, BayesOptionError, NotPositiveDefiniteError, MemoryLimitError } from "./errors.js";
export type { CholeskyOptions } from "./dense.js";
export type { MatrixInput, VectorInput } from "./matrix-input.js";
export { reluFeatures } from "./relu-features.js";
export {
  linearGaussian, maximizeEvidence, type LinearGaussianOptions, type LinearGaussianPosterior, type LinearGaussianPrediction,
  type MaximizeEvidenceOptions, type MaximizeEvidenceResult, linearGaussianElbo, type LinearGaussianElboOptions,
} from "./linear-gaussian.js";
export { gaussianNllLoss, gaussianPrior, type GaussianPriorOptions } from "./log-posterior.js";
export {
  sgld, sghmc, posteriorSamples, sgMcmcNoise, type SgMcmcNoiseOptions, type SgMcmcNoiseLaw, type StepSize, type SgMcmcOptions, type SghmcOptions, type SgldState, type SghmcState,
  type PosteriorSamplesOptions, type PosteriorSamplesResult,
} from "./sg-mcmc.js";
export {
  laplace, type LaplaceOptions, type LaplacePosterior, type LaplacePredictiveOptions, type LaplaceSubset, type LaplaceStructure,
  type LaplaceCurvature, type LaplaceLikelihood,
} from "./laplace.js";
export {
  meanField, bayesByBackprop, meanFieldKl, klAnnealing, sampleMeanField, meanFieldPredictive, type MeanFieldParams, type MeanFieldOptions,
  type BayesByBackpropScales, type ScalesOptions,
  type KlWeight, type BayesByBackpropOptions, type MeanFieldPredictiveOptions,
} from "./variational.js";
export {
  samplesPredictive, mcDropoutPredictive, type SamplesPredictiveOptions, type McDropoutPredictiveOptions,
} from "./predictive.js";
export { swag, swagPosterior, type SwagOptions, type SwagResult, type SwagPosterior } from "./swag.js";
