import { prngKey, tensor } from "@regularize/core-autodiff";
import { evaluatePredictive, mlp, PredictiveError } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { majorityVote, meanOfProbabilities, median } from "./combiners.js";
import { ensemble } from "./ensemble.js";

describe("ensemble", () => {
  it("is a regression Predictive: combiner output as mean, member spread as variance, members on request", () => {
    const ens = ensemble({ members: () => [tensor([[1], [2]]), tensor([[3], [2]]), tensor([[8], [2]])], combiner: median() });
    const out = ens.predict(tensor([[0], [0]]), { members: true });
    expect(ens.kind).toBe("regression");
    expect(Array.from(out.mean.data)).toEqual([3, 2]);
    expect(out.variance.data[0]).toBeCloseTo(((1 - 4) ** 2 + (3 - 4) ** 2 + (8 - 4) ** 2) / 3, 14);
    expect(out.variance.data[1]).toBe(0);
    expect(out.members).toHaveLength(3);
    expect(() => ens.predict(tensor([[0], [0]]), { member: true } as never)).toThrow(/^ensemble: options\.member: is not an option of predict/);
    expect(() => ens.predict(tensor([[0], [0]]), ["a"] as never)).toThrow(PredictiveError);
  });

  it("runs trained members through their models; classification members come back as probabilities", () => {
    const model = mlp({ widths: [2, 3] });
    const p1 = model.init(prngKey(1)), p2 = model.init(prngKey(2));
    const ens = ensemble({ members: [{ model, params: p1 }, { model, params: p2 }], combiner: meanOfProbabilities() });
    expect(ens.size).toBe(2);
    const out = ens.predict(tensor([[1, 0], [0, 1]]), { members: true });
    for (let i = 0; i < 2; i++) expect(out.mean.data[i * 3]! + out.mean.data[i * 3 + 1]! + out.mean.data[i * 3 + 2]!).toBeCloseTo(1, 14);
    const m = evaluatePredictive(ens, { x: tensor([[1, 0], [0, 1]]), y: tensor([0, 2], { dtype: "int32" }) });
    expect(m.mutualInformation).toBeGreaterThanOrEqual(0);
    expect(m.disagreement).toBeGreaterThanOrEqual(0);
  });

  it("majority vote as a Predictive gives vote shares", () => {
    const ens = ensemble({ members: () => [tensor([[1, 0]]), tensor([[1, 0]]), tensor([[0, 1]])], combiner: majorityVote() });
    expect(Array.from(ens.predict(tensor([[0]])).mean.data).map((v) => v * 3)).toEqual([2, 1]);
  });

  it("rejects an empty ensemble and malformed members by name", () => {
    expect(() => ensemble({ members: [], combiner: median() })).toThrow(PredictiveError);
    expect(() => ensemble({ members: [{} as never], combiner: median() })).toThrow(/members\[0\]: must be \{ model, params \}/);
    expect(() => ensemble({ members: () => [], combiner: null as never })).toThrow(/combiner/);
    const ens = ensemble({ members: () => [tensor([[1]]), tensor([[1, 1]])], combiner: median() });
    expect(() => ens.predict(tensor([[0]]))).toThrow(/members\[1\]: has shape \[1, 2\]/);
  });
});
