import { describe, expect, it } from "vitest";
import { expectAllClose } from "../test/helpers.js";
import { DatasetArgumentError } from "./errors.js";
import { generateMnist1dRaw } from "./mnist1d.js";
import { makeSplit } from "./split.js";
import { applyStandardizer, fitStandardizer, standardize } from "./standardize.js";

const train = makeSplit(Float64Array.from([1, 10, 3, 10, 5, 10]), Int32Array.from([0, 1, 2]), 2);
const test = makeSplit(Float64Array.from([3, 12]), Int32Array.from([1]), 2);

describe("fitStandardizer", () => {
  it("computes per-feature means and population stds, mapping zero std to 1", () => {
    const s = fitStandardizer(train);
    expect(Array.from(s.mean)).toEqual([3, 10]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(s.std[1]).toBe(1);
  });

  it("pools all values in global mode, like MNIST-1D's own normalisation", () => {
    const raw = generateMnist1dRaw({ numSamples: 200 });
    const s = fitStandardizer(makeSplit(raw.x, raw.y, raw.dim), { mode: "global" });
    const standardized = applyStandardizer(s, makeSplit(raw.x, raw.y, raw.dim));
    const all = Array.from(standardized.x);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(s.mean.length).toBe(1);
  });

  it("rejects an unknown mode and an empty split", () => {
    expect(() => fitStandardizer(train, { mode: "rows" as "global" })).toThrow(DatasetArgumentError);
    expect(() => fitStandardizer(makeSplit(new Float64Array(0), new Int32Array(0), 2))).toThrow(/empty/);
  });
});

describe("standardize", () => {
  it("fits on train only and applies the same statistics to test", () => {
    const { splits, standardizer } = standardize({ train, test });
    expectAllClose(splits.train.x, [-2, 0, 0, 0, 2, 0].map((v, i) => (i % 2 === 0 ? v / standardizer.std[0]! : v)), {
      atol: 1e-15,
    });
    // Test row (3, 12) uses train's mean (3, 10) and std (√(8/3), 1).
    expectAllClose(splits.test.x, [0, 2], { atol: 1e-15 });
    expect(splits.test.y).toBe(test.y);
    expect(train.x[0]).toBe(1);
  });

  it("rejects a split of the wrong width", () => {
    const s = fitStandardizer(train);
    expect(() => applyStandardizer(s, makeSplit(new Float64Array(3), new Int32Array(1), 3))).toThrow(/dim/);
  });
});
