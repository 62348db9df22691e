import type { FactoryUnderTest } from "@regularize/core-train/testing";
import * as bayes from "../src/index.js";

// Every plugin factory and options-taking transform of the package, with options it accepts; the
// fuzz mutates each key in turn. A new function export must be listed here or in OTHER_FUNCTIONS.
const decay = (c: number): number => 1e-3 / (1 + c);
export const FACTORIES: Record<string, FactoryUnderTest> = {
  gaussianPrior: { factory: bayes.gaussianPrior, valid: { variance: 1, dataSize: 60, name: "prior" } },
  posteriorSamples: { factory: bayes.posteriorSamples, valid: { burnIn: 10, thinning: 2, maxSamples: 5, name: "samples" } },
  sgMcmcNoise: {
    factory: bayes.sgMcmcNoise,
    valid: { learningRate: 1e-3, dataSize: 60, temperature: 1, seed: 0, noise: "gaussian", friction: 0.5, burnIn: 10, thinning: 2, maxSamples: 5, name: "sghmc" },
  },
  swag: { factory: bayes.swag, valid: { startEpoch: 1, everySteps: 2, rank: 5, name: "swag" } },
  bayesByBackprop: { factory: bayes.bayesByBackprop, valid: { dataSize: 60, priorVariance: 1, klWeight: 1, local: false, name: "bbb" } },
  bayesByBackpropScales: {
    factory: bayes.bayesByBackprop,
    valid: { dataSize: 60, priorVariance: 1, klWeight: bayes.klAnnealing(10), local: false, scales: { initStd: 0.01, learningRate: 0.01 }, name: "bbb" },
    accepts: { "klWeight=42": "a number is a valid klWeight too (a constant β)" },
  },
  sgld: {
    factory: bayes.sgld, valid: { learningRate: decay, dataSize: 60, temperature: 1, seed: 0, noise: "rademacher" },
    accepts: { "learningRate=42": "a number is a valid step size too (a constant ε)" },
  },
  sghmc: { factory: bayes.sghmc, valid: { learningRate: 1e-3, dataSize: 60, temperature: 1, seed: 0, noise: "gaussian", friction: 0.1 } },
};
export const OTHER_FUNCTIONS = [
  "reluFeatures", "linearGaussian", "maximizeEvidence", "gaussianNllLoss", "laplace", "meanField", "meanFieldKl", "klAnnealing",
  "sampleMeanField", "meanFieldPredictive", "samplesPredictive", "mcDropoutPredictive", "swagPosterior", "linearGaussianElbo",
];
