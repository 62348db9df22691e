export { NoiseOptionError } from "./errors.js";
export { type ParamMask, weightsOnly, allParams } from "@regularize/core-train";
export { type SiteSelection } from "./sites.js";
export { type DropoutFamilyPlugin, isDropoutFamily } from "./dropout-family.js";
export { dropout, dropoutMask, type DropoutOptions, type DropoutInference } from "./dropout.js";
export {
  gaussianDropout, uniformDropout, betaDropout, type MultiplicativeNoiseOptions, type BetaDropoutOptions,
} from "./multiplicative-noise.js";
export { dropConnect, type DropConnectOptions } from "./drop-connect.js";
export { mcDropoutPredict, type McDropoutOptions, type McDropoutResult } from "./mc-dropout.js";
export { inputNoise, type InputNoiseOptions } from "./input-noise.js";
export { weightNoise, type WeightNoiseOptions } from "./weight-noise.js";
export {
  labelSmoothing, labelSmoothingCrossEntropy, labelSmoothingLoss, smoothLabels, type LabelSmoothingOptions,
  type LabelSmoothingConvention,
} from "./label-smoothing.js";
export { noisyLabelLikelihood, noisyLabelLikelihoodLoss } from "./noisy-label-likelihood.js";
export { disturbLabel, type DisturbLabelOptions } from "./disturb-label.js";
export { gradientNoise, gradientNoiseTransform, type GradientNoiseOptions, type GradientNoiseState } from "./gradient-noise.js";
export { adversarialTraining, adversarialExample, type AdversarialOptions } from "./adversarial.js";
export { RandomStream, sampleGamma, sampleBeta } from "./random-stream.js";
export { dataAugmentation, type DataAugmentationOptions } from "./data-augmentation.js";
