import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { PredictiveError } from "./errors.js";
import {
  brierScore, disagreement, evaluatePredictive, expectedCalibrationError, gaussianNll, mutualInformation, negativeLogLikelihood,
  predictiveEntropy, probabilityAccuracy, reliabilityDiagram,
} from "./metrics.js";
import { predictiveFromMembers } from "./predictive.js";

const probs = tensor([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.5, 0.25, 0.25], [0.05, 0.05, 0.9]]);
const labels = tensor([0, 0, 0, 2], { dtype: "int32" });

describe("classification metrics", () => {
  it("computes accuracy, NLL and Brier by their definitions", () => {
    expect(probabilityAccuracy(probs, labels)).toBe(0.75);
    expect(negativeLogLikelihood(probs, labels)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.1) + Math.log(0.5) + Math.log(0.9)) / 4, 14);
    const b = ((0.09 + 0.04 + 0.01) + (0.81 + 0.64 + 0.01) + (0.25 + 0.0625 + 0.0625) + (0.0025 + 0.0025 + 0.01)) / 4;
    expect(brierScore(probs, labels)).toBeCloseTo(b, 14);
  });

  it("bins top-label confidences into 15 equal-width (lower, upper] bins by default", () => {
    const r = reliabilityDiagram(probs, labels);
    expect(r.bins).toHaveLength(15);
    // confidences 0.7, 0.8, 0.5, 0.9; 0.8 = 12/15 lies on an edge and belongs to (11/15, 12/15]
    const filled = r.bins.flatMap((b, i) => (b.count > 0 ? [[i, b.count, b.accuracy]] : []));
    expect(filled).toEqual([[7, 1, 1], [10, 1, 1], [11, 1, 0], [13, 1, 1]]);
    const ece = (0.5 + 0.3 + 0.8 + 0.1) / 4;
    expect(r.ece).toBeCloseTo(ece, 14);
    expect(expectedCalibrationError(probs, labels)).toBe(r.ece);
    expect(r.mce).toBeCloseTo(0.8, 14);
    expect(reliabilityDiagram(probs, labels, { bins: 1 }).ece).toBeCloseTo(Math.abs(0.75 - (0.7 + 0.8 + 0.5 + 0.9) / 4), 14);
  });

  it("names bad options: null read .bins with a TypeError, a misspelled key kept 15 bins (fuzz, seed 55555)", () => {
    expect(() => expectedCalibrationError(probs, labels, null as never)).toThrow(/^reliabilityDiagram: options: must be an object \{ bins\? \}, got null/);
    expect(() => reliabilityDiagram(probs, labels, { bin: 10 } as never)).toThrow(/^reliabilityDiagram: options\.bin: is not an option/);
    expect(() => reliabilityDiagram(probs, labels, { bins: Object.create(null) })).toThrow(PredictiveError);
  });

  it("gives zero ECE for a perfectly calibrated binned predictor", () => {
    // 10 rows at confidence 0.8 of which 8 are right
    const p = tensor(Array.from({ length: 10 }, () => [0.8, 0.2]));
    const y = tensor([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], { dtype: "int32" });
    expect(expectedCalibrationError(p, y)).toBeCloseTo(0, 14);
  });

  it("computes entropy (0·log 0 = 0), mutual information and disagreement", () => {
    expect(Array.from(predictiveEntropy(tensor([[1, 0], [0.5, 0.5]])))).toEqual([0, Math.log(2)]);
    const a = tensor([[1, 0], [0.5, 0.5]]), b = tensor([[0, 1], [0.5, 0.5]]);
    const mi = mutualInformation([a, b]);
    expect(mi[0]).toBeCloseTo(Math.log(2), 14); // confident members that disagree: all epistemic
    expect(mi[1]).toBeCloseTo(0, 14); // agreeing members: no mutual information
    expect(Array.from(mutualInformation([a]))).toEqual([0, 0]);
    expect(disagreement([a, b])).toBe(0.5); // row 0 differs; row 1 ties go to class 0 for both
    expect(disagreement([a, a, b])).toBeCloseTo((0 + 1 + 1) / 6, 14);
  });

  it("rejects bad input with a PredictiveError naming the function and argument", () => {
    expect(() => negativeLogLikelihood(tensor([0.5, 0.5]), labels)).toThrow(PredictiveError);
    expect(() => brierScore(probs, tensor([0, 3, 0, 0], { dtype: "int32" }))).toThrow(/brierScore: labels: entry 1 is 3/);
    expect(() => reliabilityDiagram(probs, labels, { bins: 0 })).toThrow(/bins/);
    expect(() => predictiveEntropy(tensor([[NaN, 1]]))).toThrow(/probs: entry 0 is NaN/);
    expect(() => mutualInformation([])).toThrow(/members: is empty/);
    try {
      disagreement([probs, tensor([[1, 0]])]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PredictiveError);
      expect((e as PredictiveError).name).toBe("PredictiveError");
      expect((e as PredictiveError).argument).toBe("members[1]");
      expect((e as PredictiveError).member).toBe(1);
    }
  });

  it("allows a few ulps of rounding past [0, 1] (clamped), still refusing real out-of-range values", () => {
    const eps = Number.EPSILON;
    const rounded = tensor([[1 + eps, -eps], [0.5, 0.5]]);
    const two = tensor([0, 1], { dtype: "int32" });
    expect(negativeLogLikelihood(rounded, two)).toBe(-Math.log(0.5) / 2);
    expect(expectedCalibrationError(rounded, two)).toBe(0.25); // row 2 is a tie: class 0 at 0.5, wrong
    expect(reliabilityDiagram(rounded, two).bins.reduce((a, b) => a + b.count, 0)).toBe(2);
    expect(() => brierScore(tensor([[1 + 64 * eps, 0]]), tensor([0], { dtype: "int32" }))).toThrow(/entry 0 is 1\.00000000000001/);
    expect(() => brierScore(tensor([[1.001, 0]]), tensor([0], { dtype: "int32" }))).toThrow(PredictiveError);
    expect(() => brierScore(tensor([[-1e-9, 1]]), tensor([0], { dtype: "int32" }))).toThrow(/entry 0 is -1e-9/);
    // float32 rounds coarser: its slack is in float32 ulps
    const f32 = tensor([[1 + 2 ** -23, 0]], { dtype: "float32" });
    expect(probabilityAccuracy(f32, tensor([0], { dtype: "int32" }))).toBe(1);
  });
});

describe("gaussianNll", () => {
  it("is ½log(2πσ²) + e²/2σ² averaged", () => {
    const v = gaussianNll(tensor([0, 1]), tensor([1, 4]), tensor([1, 1]));
    expect(v).toBeCloseTo((0.5 * Math.log(2 * Math.PI) + 0.5 + 0.5 * Math.log(8 * Math.PI)) / 2, 14);
    expect(() => gaussianNll(tensor([0]), tensor([0]), tensor([0]))).toThrow(/σ² > 0/);
  });
});

describe("evaluatePredictive", () => {
  it("reports every classification metric of the averaged probabilities", () => {
    const p = predictiveFromMembers({ kind: "classification", output: "probabilities", members: () => [probs, probs] });
    const m = evaluatePredictive(p, { x: tensor([[0], [0], [0], [0]]), y: labels });
    expect(m.accuracy).toBe(0.75);
    expect(m.nll).toBeCloseTo(negativeLogLikelihood(probs, labels), 14);
    expect(m.ece).toBeCloseTo(expectedCalibrationError(probs, labels), 14);
    expect(m.mutualInformation).toBeCloseTo(0, 14);
    expect(m.disagreement).toBe(0);
  });

  it("reports MSE, mean variance and the Gaussian NLL for regression", () => {
    const p = predictiveFromMembers({ kind: "regression", members: () => [tensor([[0], [2]]), tensor([[2], [2]])], noiseVariance: 1 });
    const m = evaluatePredictive(p, { x: tensor([[0], [0]]), y: tensor([[1], [3]]) });
    expect(m.mse).toBe(0.5);
    expect(m.meanVariance).toBe(1.5);
    expect(m.nll).toBeCloseTo(gaussianNll(tensor([1, 2]), tensor([2, 1]), tensor([1, 3])), 14);
  });
});
