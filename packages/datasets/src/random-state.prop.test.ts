import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RandomState } from "./random-state.js";

const seed = fc.integer({ min: 0, max: 0xffffffff });

describe("RandomState properties", () => {
  it("permutation(n) is a permutation of 0..n−1", () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 300 }), (s, n) => {
        const perm = new RandomState(s).permutation(n);
        const sorted = Array.from(perm).sort((a, b) => a - b);
        expect(sorted).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it("the same seed gives the same stream (uniforms, normals, integers)", () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 50 }), (s, n) => {
        const draw = (rng: RandomState) => [
          ...rng.randomSample(n),
          ...rng.standardNormal(n),
          ...rng.randint(-7, 1000, n),
          ...rng.permutation(n),
        ];
        expect(draw(new RandomState(s))).toEqual(draw(new RandomState(s)));
      }),
    );
  });

  it("randint stays in [low, high) and uniform in [low, high)", () => {
    fc.assert(
      fc.property(
        seed,
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (s, low, width) => {
          const rng = new RandomState(s);
          for (const v of rng.randint(low, low + width, 20)) {
            expect(Number.isInteger(v) && v >= low && v < low + width).toBe(true);
          }
          for (const u of rng.uniform(low, low + width, 20)) expect(u >= low && u < low + width).toBe(true);
        },
      ),
    );
  });

  it("choice without replacement returns distinct indices", () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 200 }), fc.nat(), (s, n, k) => {
        const size = k % (n + 1);
        const picked = new RandomState(s).choice(n, size, { replace: false });
        expect(new Set(picked).size).toBe(size);
        for (const i of picked) expect(i >= 0 && i < n).toBe(true);
      }),
    );
  });

  it("getState/setState at any point resumes the identical stream", () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 1500 }), fc.boolean(), (s, skip, oddNormal) => {
        const rng = new RandomState(s);
        rng.randomSample(skip);
        if (oddNormal) rng.standardNormal();
        const snapshot = rng.getState();
        const tail = [...rng.standardNormal(5), ...rng.randomSample(5)];
        const resumed = new RandomState(0);
        resumed.setState(snapshot);
        expect([...resumed.standardNormal(5), ...resumed.randomSample(5)]).toEqual(tail);
      }),
    );
  });

  it("an array seed [s] differs from the integer seed s (init_by_array vs init_genrand)", () => {
    fc.assert(
      fc.property(seed, (s) => {
        expect(new RandomState([s]).nextUint32()).not.toBe(new RandomState(s).nextUint32());
      }),
      { numRuns: 50 },
    );
  });
});
