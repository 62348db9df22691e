import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { type FactoryUnderTest, formatFuzzReport, fuzzPluginOptions, unclassifiedExports } from "@regularize/core-train/testing";
import * as ensemble from "./index.js";

// Every plugin factory and options-taking schedule / combiner factory of the package, with options
// it accepts; the fuzz mutates each key in turn. A new function export must be listed here or in
// OTHER_FUNCTIONS.
const FACTORIES: Record<string, FactoryUnderTest> = {
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
const OTHER_FUNCTIONS = [
  "median", "electedClass", "fitStackingWeights", "stacking", "projectSimplex", "ensemble", "seedMembers", "bootstrapMembers",
  "hyperparameterMembers", "architectureMembers", "trainMlpMember", "toPlainData", "fromPlainData", "toPlainParams", "fromPlainParams",
  "memberModel", "memberParams", "trainMembers", "cloneTree",
];

describe("ensemble's plugin, schedule and combiner factories", () => {
  it("are all listed: every function export is a fuzzed factory or classified as another function", () => {
    expect(unclassifiedExports(ensemble, FACTORIES, OTHER_FUNCTIONS)).toEqual([]);
  });

  it("reject mistyped, out-of-range and unknown options at construction with a named error", () => {
    const report = fuzzPluginOptions(FACTORIES);
    console.log(formatFuzzReport("ensemble", report));
    const bad = report.calls.filter((c) => c.outcome !== "named");
    expect(bad.map((c) => `${c.factory} ${c.mutation}: ${c.detail}`)).toEqual([]);
    expect(report.generic).toBe(0);
    expect(report.tried).toBeGreaterThan(150);
  });

  it("name the nearest valid option of a typo", () => {
    expect(() => ensemble.swa({ startEpoch: 1, everystep: 2 } as never)).toThrow(/option "everystep" is not an option of swa \(did you mean "everySteps"\?\)/);
    expect(() => ensemble.swa({ start: 1 } as never)).toThrow(ensemble.EnsembleOptionError);
    expect(() => ensemble.swa({ start: 1 } as never)).toThrow(PluginOptionError);
  });
});
