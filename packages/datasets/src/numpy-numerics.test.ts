import { describe, expect, it } from "vitest";
import { interpSorted, linspace, numpyMean, numpyStd, numpySum, pairwiseSum } from "./numpy-numerics.js";

describe("linspace", () => {
  it("computes i·step + start and forces the last element to stop", () => {
    const step = (1 - 0) / (50 - 1);
    const grid = linspace(0, 1, 50);
    expect(grid[5]).toBe(5 * step);
    // 49·(1/49) rounds below 1 in float64, which is why NumPy overwrites the endpoint.
    expect(49 * step).toBe(0.9999999999999999);
    expect(grid[49]).toBe(1);
  });

  it("handles num = 0 and num = 1 like NumPy", () => {
    expect(Array.from(linspace(3, 7, 0))).toEqual([]);
    expect(Array.from(linspace(3, 7, 1))).toEqual([3]);
  });
});

describe("interpSorted", () => {
  it("returns fp[j] at exact knots and slope·(x − xp[j]) + fp[j] between them", () => {
    const xp = [0, 1, 3];
    const fp = [10, 20, 0];
    const out = interpSorted([0, 0.5, 1, 2, 3], xp, fp, new Float64Array(5));
    expect(Array.from(out)).toEqual([10, 15, 20, 10, 0]);
  });

  it("clamps to the end values outside the knots", () => {
    const out = interpSorted([-1, 5], [0, 1], [2, 4], new Float64Array(2));
    expect(Array.from(out)).toEqual([2, 4]);
  });

  it("honours an explicit xp length shorter than the buffers", () => {
    const out = interpSorted([0, 1], [0, 1, 99], [1, 3, 99], new Float64Array(2), 2);
    expect(Array.from(out)).toEqual([1, 3]);
  });
});

describe("pairwiseSum", () => {
  it("uses eight interleaved accumulators, which rounds differently from a running sum", () => {
    // 2^53 + 1 rounds back to 2^53, so a running sum loses every 1; the pairwise tree keeps
    // ((2^53+1)+(1+1)) + ((1+1)+(1+1)) = 2^53 + 6, and the ninth 1 rounds it (ties to even) to 2^53 + 8.
    const a = [2 ** 53, 1, 1, 1, 1, 1, 1, 1, 1];
    let running = 0;
    for (const v of a) running += v;
    expect(running).toBe(2 ** 53);
    expect(pairwiseSum(a, 0, a.length)).toBe(2 ** 53 + 8);
  });

  it("adds fewer than eight values left to right", () => {
    expect(pairwiseSum([0.1, 0.2, 0.3], 0, 3)).toBe(0.1 + 0.2 + 0.3);
  });

  it("splits above 128 elements at a multiple of eight", () => {
    const a = Array.from({ length: 300 }, (_, i) => Math.sin(i) * 1e-3 + (i % 7));
    // n = 300 splits at 144 (150 rounded down to a multiple of 8); both halves are leaves or split again.
    expect(pairwiseSum(a, 0, 300)).toBe(pairwiseSum(a, 0, 144) + pairwiseSum(a, 144, 156));
  });
});

describe("numpySum / numpyMean / numpyStd", () => {
  it("sums 8192-element blocks pairwise and adds the block sums in order", () => {
    const a = Float64Array.from({ length: 20_000 }, (_, i) => Math.cos(i) / 3);
    const expected = pairwiseSum(a, 0, 8192) + pairwiseSum(a, 8192, 8192) + pairwiseSum(a, 16384, 20_000 - 16384);
    expect(numpySum(a)).toBe(expected);
  });

  it("computes the population std after re-centring", () => {
    expect(numpyMean([1, 2, 3, 4])).toBe(2.5);
    expect(numpyStd([1, 2, 3, 4])).toBe(Math.sqrt(1.25));
  });
});

describe("linspace argument guard", () => {
  it("refuses a non-number start or stop instead of filling NaN", () => {
    expect(() => linspace({ axis: 9 } as never, 1, 1)).toThrow(/^start: must be a number/);
    expect(() => linspace(0, "1" as never, 3)).toThrow(/^stop: must be a number/);
  });
});
