import { scalar } from "@regularize/core-autodiff";
import type { FactoryUnderTest } from "@regularize/core-train/testing";
import * as penalties from "../src/index.js";

// Every plugin factory (and options-taking transform) of the package, with options it accepts; the
// fuzz mutates each key in turn. A new function export must be listed here or in OTHER_FUNCTIONS.
const mask = penalties.allParams;
export const FACTORIES: Record<string, FactoryUnderTest> = {
  l2: { factory: penalties.l2, valid: { lambda: 1e-2, center: { w: scalar(0) }, mask, name: "l2" } },
  l1: { factory: penalties.l1, valid: { lambda: 1e-2, mask, name: "l1" } },
  l1Prox: { factory: penalties.l1Prox, valid: { lambda: 1e-2, learningRate: 0.1, mask, name: "l1Prox" } },
  l1ProxTransform: { factory: penalties.l1ProxTransform, valid: { lambda: 1e-2, learningRate: 0.1, mask, name: "l1Prox" } },
  elasticNet: { factory: penalties.elasticNet, valid: { l1: 1e-2, l2: 1e-2, mask, name: "elasticNet" } },
  lp: { factory: penalties.lp, valid: { lambda: 1e-2, p: 0.5, mask, name: "lp" } },
  groupLasso: { factory: penalties.groupLasso, valid: { lambda: 1e-2, axis: 0, mask, scaleBySize: true, name: "groupLasso" } },
  l0Gates: { factory: penalties.l0Gates, valid: { lambda: 1e-2, constants: { beta: 2 / 3 }, name: "l0Gates" } },
  spectralPenalty: { factory: penalties.spectralPenalty, valid: { lambda: 1e-2, iterations: 1, mask, seed: 0, name: "spectralPenalty" } },
  spectralNormalization: { factory: penalties.spectralNormalization, valid: { maxNorm: 1, iterations: 1, mask, seed: 0, name: "spectralNormalization" } },
  maxNorm: { factory: penalties.maxNorm, valid: { c: 1, axis: 0, mask, name: "maxNorm" } },
  activityRegularization: { factory: penalties.activityRegularization, valid: { lambda: 1e-2, p: 2, sites: ["hidden0"], name: "activity" } },
  inputGradient: { factory: penalties.inputGradient, valid: { lambda: 1e-2, of: "loss", name: "inputGradient" } },
  l2sp: { factory: penalties.l2sp, valid: { alpha: 1e-2, beta: 1e-3, pretrained: { w: scalar(0) }, mask, name: "l2sp" } },
};
export const OTHER_FUNCTIONS = [
  "weightsOnly", "allParams", "leavesWithPaths", "mapWithPaths", "l2Penalty", "l1Penalty", "softThreshold", "elasticNetPenalty",
  "lpPenalty", "lpSum", "l0Count", "groupLassoPenalty", "groupNorms", "prunedGroups", "hardConcreteSample", "hardConcreteGate",
  "hardConcreteNonZeroProb", "withL0Gates", "expectedL0", "l0PrunedUnits", "spectralNorm", "spectralNormEstimate", "lipschitzBound",
  "powerIteration", "sigmaOf", "projectMaxNorm", "projectSpectral", "lossInputGradientNorm", "outputInputGradientNorm", "l2spPenalty",
];
