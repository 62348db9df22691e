import { describe, expect, it } from "vitest";
import { bootstrapIndices, bootstrapSplit, multiplicities } from "./bootstrap.js";
import { DatasetArgumentError } from "./errors.js";
import { RandomState } from "./random-state.js";
import { makeSplit } from "./split.js";
import { makeToyData } from "./toy-data.js";

describe("bootstrapIndices", () => {
  it("reproduces notebook 9.3's four bagging resamples after the seed-1 data draw (CHAPTER9.md §2, fig 9.7)", () => {
    const rng = new RandomState(1);
    makeToyData({ rng });
    const multisets = Array.from({ length: 4 }, () =>
      Array.from(bootstrapIndices(15, rng)).sort((a, b) => a - b),
    );
    expect(multisets).toEqual([
      [3, 4, 5, 6, 7, 7, 7, 7, 8, 9, 9, 10, 11, 13, 14],
      [0, 2, 3, 3, 6, 7, 7, 7, 8, 9, 9, 10, 10, 12, 14],
      [0, 0, 1, 1, 3, 4, 6, 7, 7, 8, 8, 13, 13, 13, 14],
      [2, 4, 5, 5, 6, 7, 8, 11, 11, 11, 11, 12, 12, 13, 14],
    ]);
  });

  it("is choice(n, size, replace=True), i.e. size draws of randint(0, n)", () => {
    const expected = Array.from({ length: 6 }, ((r) => () => r.randint(0, 9))(new RandomState(8)));
    expect(Array.from(bootstrapIndices(9, 8, 6))).toEqual(expected);
  });

  it("rejects an empty population and a bad generator", () => {
    expect(() => bootstrapIndices(0, 1)).toThrow(DatasetArgumentError);
    expect(() => bootstrapIndices(5, "seed" as unknown as number)).toThrow(/rng/);
  });
});

describe("multiplicities / bootstrapSplit", () => {
  it("counts occurrences and lists the out-of-bag rows", () => {
    expect(Array.from(multiplicities([0, 2, 2, 3], 5))).toEqual([1, 0, 2, 1, 0]);
    const split = makeSplit(Float64Array.from([0, 1, 2, 3, 4]), Int32Array.from([0, 1, 2, 3, 4]), 1);
    const b = bootstrapSplit(split, 3);
    const counts = multiplicities(b.indices, 5);
    expect(Array.from(b.outOfBag)).toEqual([0, 1, 2, 3, 4].filter((i) => counts[i] === 0));
    expect(Array.from(b.sample.y)).toEqual(Array.from(b.indices));
  });
});
