import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { PredictiveError } from "./errors.js";
import { checkPredictiveOptions, predictiveFromMembers, softmaxRows, weightedMoments } from "./predictive.js";

describe("predictiveFromMembers", () => {
  it("averages regression members and adds their noise variance to the spread", () => {
    const p = predictiveFromMembers({ kind: "regression", members: () => [tensor([[1], [2]]), tensor([[3], [6]])], noiseVariance: [0.5, 1.5] });
    const out = p.predict(tensor([[0], [0]]), { members: true });
    expect(Array.from(out.mean.data)).toEqual([2, 4]);
    expect(Array.from(out.variance.data)).toEqual([1 + 1, 4 + 1]);
    expect(out.members).toHaveLength(2);
    expect(p.predict(tensor([[0], [0]])).members).toBeUndefined();
  });

  it("averages probabilities (softmax of each member's logits), with weights", () => {
    const l1 = tensor([[0, Math.log(3)]]), l2 = tensor([[Math.log(3), 0]]);
    const out = predictiveFromMembers({ kind: "classification", members: () => [l1, l2], weights: [3, 1] }).predict(tensor([[0]]));
    expect(out.mean.data[0]).toBeCloseTo(0.75 * 0.25 + 0.25 * 0.75, 14);
    expect(out.mean.data[1]).toBeCloseTo(0.75 * 0.75 + 0.25 * 0.25, 14);
    expect(out.weights).toEqual([0.75, 0.25]);
    expect(out.variance.data[0]).toBeCloseTo(0.75 * (0.25 - 0.375) ** 2 + 0.25 * (0.75 - 0.375) ** 2, 14);
  });

  it("softmax does not overflow on large logits", () => {
    expect(Array.from(softmaxRows([1000, 1000], 1, 2))).toEqual([0.5, 0.5]);
  });

  it("names the member and argument of bad input", () => {
    const x = tensor([[0]]);
    const mk = (members: () => ReturnType<typeof tensor>[], extra = {}) => () => predictiveFromMembers({ kind: "regression", members, ...extra }).predict(x);
    expect(mk(() => [])).toThrow(/members: is empty/);
    expect(mk(() => [tensor([[1]]), tensor([[1, 2]])])).toThrow(/members\[1\]: has shape \[1, 2\] but member 0 has \[1, 1\]/);
    expect(mk(() => [tensor([[1]]), tensor([[NaN]])])).toThrow(/members\[1\]: prediction 0 is NaN/);
    expect(mk(() => [tensor([[1]]), tensor([[1]])], { weights: [1, -1] })).toThrow(/weights\[1\]: must be non-negative/);
    expect(mk(() => [tensor([[1]]), tensor([[1]])], { weights: [1, Infinity] })).toThrow(/weights\[1\]: must be a finite number/);
    expect(mk(() => [tensor([[1]]), tensor([[1]])], { weights: [0, 0] })).toThrow(/weights: must not all be 0/);
    expect(mk(() => [tensor([[1]])], { weights: [1, 1] })).toThrow(/weights: has 2 entries for 1 members/);
    expect(() => predictiveFromMembers({ kind: "regression", members: () => [], noiseVariance: -1 })).toThrow(PredictiveError);
  });

  it("checks predict's options: an array or a misspelled key was ignored (fuzz, seed 31337)", () => {
    const p = predictiveFromMembers({ kind: "regression", members: (x) => [x] });
    const x = tensor([1, 2, 3]);
    expect(() => p.predict(x, ["a"] as never)).toThrow(/^predictiveFromMembers: options: must be an object \{ members\?: boolean \}, got /);
    expect(() => p.predict(x, { member: true } as never)).toThrow(/^predictiveFromMembers: options\.member: is not an option of predict/);
    expect(() => p.predict(x, { members: 1 } as never)).toThrow(/options\.members: must be a boolean/);
    expect(p.predict(x, { members: true }).members).toHaveLength(1);
    expect(p.predict(x).members).toBeUndefined();
    expect(checkPredictiveOptions("f", undefined)).toEqual({});
  });
});

describe("softmaxRows argument guard", () => {
  it("names the argument for a wrong length, non-integer sizes or non-numbers", () => {
    expect(() => softmaxRows([1, 2, 3], 2, 2)).toThrow(/^softmaxRows: logits: must be an array of n × c = 4 numbers, got 3 entries/);
    expect(() => softmaxRows("float" as never, 1, 5)).toThrow(PredictiveError);
    expect(() => softmaxRows(tensor([1, 2]) as never, 1, 2)).toThrow(/a Tensor \(pass its data\)/);
    expect(() => softmaxRows([1, 2], 1.5, 2)).toThrow(/^softmaxRows: n: must be a non-negative integer, got 1.5/);
    // a null-prototype object made String() in the message throw a TypeError (fuzz, seed 55555)
    expect(() => softmaxRows([[0, 1]] as never, Object.create(null), 2)).toThrow(/^softmaxRows: n: must be a non-negative integer, got an object/);
    expect(() => softmaxRows([1, 2], 1, -2)).toThrow(/^softmaxRows: c: /);
    expect(() => softmaxRows(["a", 2] as never, 1, 2)).toThrow(/logits: must hold numbers only/);
    expect(Array.from(softmaxRows([0, 0], 1, 2))).toEqual([0.5, 0.5]);
  });
});

describe("weightedMoments", () => {
  it("weights members (normalized) or uniformly", () => {
    const { mean, variance } = weightedMoments([[1, 2], [3, 6]]);
    expect(Array.from(mean)).toEqual([2, 4]);
    expect(Array.from(variance)).toEqual([1, 4]);
    const w = weightedMoments([[0], [4]], [3, 1]);
    expect(Array.from(w.mean)).toEqual([1]);
    expect(Array.from(w.variance)).toEqual([0.75 * 1 + 0.25 * 9]);
  });

  it("names the argument of weights that are not one non-negative number per member, and of ragged values", () => {
    // an options-like object as weights read as undefined entries: NaN moments without a word (process probe, seed 31337)
    expect(() => weightedMoments([[0, 1]], { keepdims: 1 } as never)).toThrow(/^weightedMoments: weights: must be an array of numbers/);
    expect(() => weightedMoments([[0], [1]], [1])).toThrow(/weights: has 1 entries for 2 members/);
    expect(() => weightedMoments([[0], [1]], [1, NaN])).toThrow(/weights\[1\]: must be a finite number/);
    expect(() => weightedMoments([[0], [1]], [1, -1])).toThrow(PredictiveError);
    expect(() => weightedMoments([[0, 1], [1]])).toThrow(/^weightedMoments: values\[1\]: has 1 entries but values\[0\] has 2/);
    expect(() => weightedMoments([[0], ["a"]] as never)).toThrow(/values\[1\]: must hold numbers only/);
  });
});
