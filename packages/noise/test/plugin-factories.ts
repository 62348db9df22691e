import type { FactoryUnderTest } from "@regularize/core-train/testing";
import { circularShift } from "@regularize/datasets";
import * as noise from "../src/index.js";

// Every plugin factory (and options-taking transform) of the package, with options it accepts; the
// fuzz mutates each key in turn. A new function export must be listed here or in OTHER_FUNCTIONS.
const mask = noise.allParams;
const identityAugment = circularShift();
export const FACTORIES: Record<string, FactoryUnderTest> = {
  dropout: {
    factory: noise.dropout,
    valid: { rate: 0.5, inference: "inverted", sites: ["hidden0"], units: [0, 1], sampling: "bernoulli", sharedMask: false, name: "dropout" },
  },
  gaussianDropout: { factory: noise.gaussianDropout, valid: { rate: 0.5, sites: "hidden", name: "gaussianDropout" } },
  uniformDropout: { factory: noise.uniformDropout, valid: { rate: 0.5, sites: "hidden", name: "uniformDropout" } },
  betaDropout: { factory: noise.betaDropout, valid: { rate: 0.5, concentration: 2, sites: "hidden", name: "betaDropout" } },
  dropConnect: { factory: noise.dropConnect, valid: { rate: 0.5, inference: "inverted", mask, name: "dropConnect" } },
  inputNoise: { factory: noise.inputNoise, valid: { sigma: 0.1, name: "inputNoise" } },
  weightNoise: { factory: noise.weightNoise, valid: { sigma: 0.1, mask, name: "weightNoise" } },
  labelSmoothing: { factory: noise.labelSmoothing, valid: { rho: 0.1, classes: 10, convention: "book", name: "labelSmoothing" } },
  disturbLabel: { factory: noise.disturbLabel, valid: { alpha: 0.1, classes: 10, name: "disturbLabel" } },
  gradientNoise: { factory: noise.gradientNoise, valid: { eta: 0.01, gamma: 0.55, seed: 0, name: "gradientNoise" } },
  gradientNoiseTransform: { factory: noise.gradientNoiseTransform, valid: { eta: 0.01, gamma: 0.55, seed: 0, name: "gradientNoise" } },
  adversarialTraining: {
    factory: noise.adversarialTraining,
    valid: { epsilon: 0.1, steps: 1, stepSize: 0.1, randomStart: false, mix: 0.5, name: "adversarial" },
  },
  dataAugmentation: { factory: noise.dataAugmentation, valid: { augment: identityAugment, numClasses: 10, name: "dataAugmentation" } },
  noisyLabelLikelihoodLoss: { factory: noise.noisyLabelLikelihoodLoss, valid: { rho: 0.1, reduction: "mean" } },
};
export const OTHER_FUNCTIONS = [
  "weightsOnly", "allParams", "isDropoutFamily", "dropoutMask", "mcDropoutPredict", "labelSmoothingCrossEntropy", "labelSmoothingLoss",
  "smoothLabels", "noisyLabelLikelihood", "adversarialExample", "sampleGamma", "sampleBeta",
];
