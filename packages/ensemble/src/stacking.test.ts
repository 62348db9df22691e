import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { EnsembleOptionError } from "./errors.js";
import { fitStackingWeights, projectSimplex, stacking } from "./stacking.js";

describe("fitStackingWeights", () => {
  const y = tensor([1, 2, 3, 4]);
  const good = tensor([1, 2, 3, 4]), off = tensor([2, 1, 4, 3]), bias = tensor([3, 4, 5, 6]);

  it("puts all the weight on a perfect member (simplex)", () => {
    const r = fitStackingWeights([off, good, bias], y, { kind: "regression" });
    expect(r.weights[1]).toBeCloseTo(1, 9);
    expect(r.loss).toBeLessThan(1e-15);
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it("solves unconstrained least squares when asked (weights of any sign)", () => {
    // y = 2·a − b exactly
    const a = tensor([1, 2, 0, 1]), b = tensor([1, 2, -3, -2]);
    const r = fitStackingWeights([a, b], y, { kind: "regression", nonNegative: false, sumToOne: false, iterations: 100000 });
    expect(r.weights[0]).toBeCloseTo(2, 6);
    expect(r.weights[1]).toBeCloseTo(-1, 6);
    const c = stacking([a, b], y, { kind: "regression", nonNegative: false, sumToOne: false, iterations: 100000 });
    Array.from(c.combine([a, b]).data).forEach((v, i) => expect(v).toBeCloseTo(y.data[i]!, 5));
  });

  it("fits mixture weights of probabilities by NLL for classification", () => {
    const labels = tensor([0, 1, 1], { dtype: "int32" });
    const right = tensor([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]]), wrong = tensor([[0.1, 0.9], [0.8, 0.2], [0.7, 0.3]]);
    const r = fitStackingWeights([wrong, right], labels, { kind: "classification", input: "probabilities" });
    expect(r.weights[1]).toBeGreaterThan(0.99);
    expect(() => fitStackingWeights([right], labels, { kind: "classification", nonNegative: false })).toThrow(EnsembleOptionError);
  });

  it("projects onto the simplex", () => {
    expect(Array.from(projectSimplex([0.5, 0.5]))).toEqual([0.5, 0.5]);
    expect(Array.from(projectSimplex([2, 0]))).toEqual([1, 0]);
    expect(Array.from(projectSimplex([1, 1, -5])).map((v) => +v.toFixed(12))).toEqual([0.5, 0.5, 0]);
  });

  it("rejects mismatched targets by name", () => {
    expect(() => fitStackingWeights([good], tensor([1, 2]), { kind: "regression" })).toThrow(/fitStackingWeights: targets/);
    expect(() => fitStackingWeights([], y, { kind: "regression" })).toThrow(/members: is empty/);
  });
});
