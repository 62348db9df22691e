import { tensor } from "@regularize/core-autodiff";
import { PredictiveError } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { electedClass, majorityVote, mean, meanOfLogits, meanOfProbabilities, median, weightedMean } from "./combiners.js";

const a = tensor([[1], [4]]), b = tensor([[3], [0]]), c = tensor([[2], [10]]);

describe("regression combiners", () => {
  it("mean and median follow NumPy (median of an even count = mean of the two middle values)", () => {
    expect(Array.from(mean().combine([a, b, c]).data)).toEqual([2, 14 / 3]);
    expect(Array.from(median().combine([a, b, c]).data)).toEqual([2, 4]);
    expect(Array.from(median().combine([a, b, c, tensor([[7], [5]])]).data)).toEqual([2.5, 4.5]);
  });

  it("weights the mean (normalised) and keeps the members' shape", () => {
    const out = weightedMean({ weights: [3, 1] }).combine([a, b]);
    expect(out.shape).toEqual([2, 1]);
    expect(Array.from(out.data)).toEqual([1.5, 3]);
    expect(Array.from(mean().combine([a, b], [0, 2]).data)).toEqual([3, 0]);
  });
});

describe("classification combiners", () => {
  const z1 = tensor([[2, 0, 0]]), z2 = tensor([[0, 0, 4]]);
  it("distinguishes the mean of probabilities from the mean of logits", () => {
    const p = meanOfProbabilities().combine([z1, z2]).data;
    const sm = (z: number[]) => z.map((v) => Math.exp(v) / z.reduce((s, u) => s + Math.exp(u), 0));
    const expP = sm([2, 0, 0]).map((v, i) => (v + sm([0, 0, 4])[i]!) / 2);
    expP.forEach((v, i) => expect(p[i]).toBeCloseTo(v, 15));
    const q = meanOfLogits().combine([z1, z2]).data;
    sm([1, 0, 2]).forEach((v, i) => expect(q[i]).toBeCloseTo(v, 15));
    expect(meanOfProbabilities({ input: "probabilities" }).combine([tensor([[1, 0]]), tensor([[0, 1]])]).data[0]).toBe(0.5);
  });

  it("majority vote returns vote shares; ties go to the lowest class index", () => {
    const votes = majorityVote().combine([tensor([[0, 5, 1], [3, 0, 0]]), tensor([[0, 0, 9], [3, 0, 0]]), tensor([[1, 0, 0], [0, 2, 0]])]);
    expect(Array.from(votes.data).map((v) => Math.round(v * 3))).toEqual([1, 1, 1, 2, 1, 0]);
    expect(Array.from(electedClass(votes))).toEqual([0, 0]); // row 0: three-way tie → class 0
    // a member's own tie (equal logits) is its lowest index
    expect(Array.from(majorityVote().combine([tensor([[1, 1]])]).data)).toEqual([1, 0]);
    // weights break the tie
    expect(Array.from(electedClass(majorityVote({ weights: [1, 2] }).combine([tensor([[1, 0]]), tensor([[0, 1]])])))).toEqual([1]);
  });
});

describe("bad input", () => {
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as PredictiveError;
    }
    throw new Error("did not throw");
  };
  it("names the function, member and argument", () => {
    let e = err(() => mean().combine([]));
    expect(e).toBeInstanceOf(PredictiveError);
    expect(e.name).toBe("PredictiveError");
    expect(e.message).toMatch(/mean: members: is empty/);
    e = err(() => median().combine([a, tensor([[1, 2], [3, 4]])]));
    expect([e.argument, e.member]).toEqual(["members[1]", 1]);
    e = err(() => meanOfProbabilities().combine([tensor([[0, 1]]), tensor([[NaN, 1]])]));
    expect(e.message).toMatch(/meanOfProbabilities: members\[1\]: prediction 0 is NaN/);
    e = err(() => mean({ weights: [1, -2] }).combine([a, b]));
    expect([e.fn, e.argument, e.member]).toEqual(["mean", "weights[1]", 1]);
    e = err(() => majorityVote().combine([a, b], [1, NaN]));
    expect(e.message).toMatch(/majorityVote: weights\[1\]: must be a finite number/);
    expect(() => median().combine([a, b], [1, 1])).toThrow(/unweighted/);
    expect(() => meanOfLogits().combine([tensor([1, 2])])).toThrow(/must be \[N, C\]/);
    expect(() => meanOfProbabilities({ input: "probabilities" }).combine([tensor([[2, -1]])])).toThrow(/not a probability/);
  });
});
