import type { FactoryUnderTest } from "@regularize/core-train/testing";
import * as ensemble from "../src/index.js";

// Every plugin factory and options-taking schedule / combiner factory of the package, with options
// it accepts; the fuzz mutates each key in turn. A new function export must be listed here or in
// OTHER_FUNCTIONS.
export const FACTORIES: Record<string, FactoryUnderTest> = {
  swa: { factory: ensemble.swa, valid: { startEpoch: 1, everySteps: 5, applyAtEnd: true, name: "swa" } },
  ema: { factory: ensemble.ema, valid: { decay: 0.99, startStep: 0, everySteps: 1, applyAtEnd: false, name: "ema" } },
  snapshotEnsemble: { factory: ensemble.snapshotEnsemble, valid: { cycleSteps: 10, keepLast: 3, name: "snapshots" } },
  fastGeometric: { factory: ensemble.fastGeometric, valid: { startStep: 10, cycleSteps: 4, keepLast: 3, name: "fge" } },
  swaSchedule: { factory: ensemble.swaSchedule, valid: { learningRate: 0.1, swaLr: 0.05, startStep: 10, annealSteps: 5, annealStrategy: "cos" } },
  snapshotSchedule: { factory: ensemble.snapshotSchedule, valid: { learningRate: 0.1, cycleSteps: 10, minLr: 0 } },
  fgeSchedule: { factory: ensemble.fgeSchedule, valid: { learningRate: 0.1, high: 0.05, low: 0.001, startStep: 10, cycleSteps: 4 } },
  mean: { factory: ensemble.mean, valid: { weights: [1, 1] } },
  weightedMean: { factory: ensemble.weightedMean, valid: { weights: [1, 1] } },
  meanOfProbabilities: { factory: ensemble.meanOfProbabilities, valid: { weights: [1, 1], input: "logits" } },
  meanOfLogits: { factory: ensemble.meanOfLogits, valid: { weights: [1, 1] } },
  majorityVote: { factory: ensemble.majorityVote, valid: { weights: [1, 1] } },
};
export const OTHER_FUNCTIONS = [
  "median", "electedClass", "fitStackingWeights", "stacking", "projectSimplex", "ensemble", "seedMembers", "bootstrapMembers",
  "hyperparameterMembers", "architectureMembers", "trainMlpMember", "toPlainData", "fromPlainData", "toPlainParams", "fromPlainParams",
  "memberModel", "memberParams", "trainMembers", "cloneTree",
];
