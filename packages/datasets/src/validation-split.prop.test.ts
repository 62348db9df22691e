import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeSplit } from "./split.js";
import { validationSplit } from "./validation-split.js";

describe("validationSplit properties", () => {
  it("sizes add up and the two index sets partition the rows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.nat(),
        fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
        (n, k, seed) => {
          const size = 1 + (k % (n - 1));
          const split = makeSplit(Float64Array.from({ length: n }, (_, i) => i), new Int32Array(n), 1);
          const r = validationSplit(split, seed === undefined ? { size } : { size, seed });
          expect(r.train.n + r.validation.n).toBe(n);
          expect(r.validation.n).toBe(size);
          const all = [...r.trainIndices, ...r.validationIndices].sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
          expect(Array.from(r.train.x)).toEqual(Array.from(r.trainIndices));
        },
      ),
    );
  });
});
