export { BayesError, BayesArgumentError, NotPositiveDefiniteError, MemoryLimitError } from "./errors.js";
export type { CholeskyOptions } from "./dense.js";
export type { MatrixInput, VectorInput } from "./matrix-input.js";
export { reluFeatures } from "./relu-features.js";
export {
  linearGaussian, maximizeEvidence, type LinearGaussianOptions, type LinearGaussianPosterior, type LinearGaussianPrediction,
  type MaximizeEvidenceOptions, type MaximizeEvidenceResult,
} from "./linear-gaussian.js";
