import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bootstrapIndices, multiplicities } from "./bootstrap.js";

describe("bootstrap properties", () => {
  it("multiplicities sum to the sample size and every index is in range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (n, size, seed) => {
          const idx = bootstrapIndices(n, seed, size);
          const counts = multiplicities(idx, n);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(size);
        },
      ),
    );
  });

  it("the same seed gives the same resample", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 0xffffffff }), (n, seed) => {
        expect(bootstrapIndices(n, seed)).toEqual(bootstrapIndices(n, seed));
      }),
    );
  });
});
