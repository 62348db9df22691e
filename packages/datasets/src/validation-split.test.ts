import { describe, expect, it } from "vitest";
import { DatasetArgumentError } from "./errors.js";
import { RandomState } from "./random-state.js";
import { makeSplit } from "./split.js";
import { validationSplit } from "./validation-split.js";

const split = makeSplit(Float64Array.from({ length: 10 }, (_, i) => i), Int32Array.from({ length: 10 }, (_, i) => i % 3), 1);

describe("validationSplit", () => {
  it("holds out the last rows when no seed is given", () => {
    const { train, validation, validationIndices } = validationSplit(split, { size: 3 });
    expect(Array.from(validationIndices)).toEqual([7, 8, 9]);
    expect(Array.from(validation.x)).toEqual([7, 8, 9]);
    expect(train.n).toBe(7);
  });

  it("with a seed holds out the tail of RandomState(seed).permutation(n)", () => {
    const perm = Array.from(new RandomState(5).permutation(10));
    const r = validationSplit(split, { fraction: 0.2, seed: 5 });
    expect(Array.from(r.trainIndices)).toEqual(perm.slice(0, 8));
    expect(Array.from(r.validationIndices)).toEqual(perm.slice(8));
    expect(Array.from(r.validation.y)).toEqual(perm.slice(8).map((i) => i % 3));
  });

  it("rejects giving both or neither of fraction and size, and empty sides", () => {
    expect(() => validationSplit(split, {})).toThrow(DatasetArgumentError);
    expect(() => validationSplit(split, { fraction: 0.5, size: 2 })).toThrow(DatasetArgumentError);
    expect(() => validationSplit(split, { fraction: 0.01 })).toThrow(/fraction/);
    expect(() => validationSplit(split, { size: 10 })).toThrow(/size/);
    expect(() => validationSplit(split, { fraction: 1 })).toThrow(/fraction/);
  });
});
