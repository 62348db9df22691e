import { describe, expect, it } from "vitest";
import { BOOK_DATASET_NAMES, bookDataset } from "./book-data.js";
import { DatasetArgumentError } from "./errors.js";
import { trueFunction } from "./toy-data.js";

const relu = (v: number) => Math.max(0, v);

describe("bookDataset", () => {
  it("has 15, 25, 15 and 15 points for figs 9.2, 9.7, 9.9 and 9.10, sorted in [0, 1]", () => {
    const sizes = { fig9_2: 15, fig9_6: 15, fig9_11: 15, fig9_7: 25, fig9_9: 15, fig9_10: 15 } as const;
    for (const name of BOOK_DATASET_NAMES) {
      const d = bookDataset(name);
      expect([d.n, d.x.length, d.y.length, d.dim]).toEqual([sizes[name], sizes[name], sizes[name], 1]);
      for (let i = 0; i < d.n; i++) {
        expect(d.x[i]! >= 0 && d.x[i]! <= 1).toBe(true);
        if (i > 0) expect(d.x[i]! > d.x[i - 1]!).toBe(true);
      }
    }
  });

  it("shares fig 9.2's points with figs 9.6 and 9.11 and plots 9.2/9.6 on the scaled axis", () => {
    expect(bookDataset("fig9_6").x).toEqual(bookDataset("fig9_2").x);
    expect(bookDataset("fig9_11").y).toEqual(bookDataset("fig9_2").y);
    expect(bookDataset("fig9_2").axis).toEqual({ units: "scaled", range: [-1, 1] });
    expect(bookDataset("fig9_11").axis).toEqual({ units: "raw", range: [-1, 4] });
    expect(bookDataset("fig9_9").axis.range).toEqual([-2, 5]);
  });

  it("fig 9.2 data: the true function's SSE is ≈ 1.35 as CHAPTER9.md §2 (fig 9.6) states", () => {
    const d = bookDataset("fig9_2");
    let sse = 0;
    for (let i = 0; i < d.n; i++) sse += (trueFunction(d.x[i]!, { twoPi: "exact" }) - d.y[i]!) ** 2;
    expect(sse).toBeGreaterThan(1.3);
    expect(sse).toBeLessThan(1.4);
  });

  it("fig 9.9 data leave the gap where a bump on hidden units 7/8/9 is invisible", () => {
    const d = bookDataset("fig9_9");
    const [lo, hi] = d.gap!;
    expect(Array.from(d.x).filter((x) => x > lo && x < hi)).toEqual([]);
    const jointsInGap = Array.from({ length: 14 }, (_, k) => k / 14).filter((j) => j > lo && j < hi);
    expect(jointsInGap.length).toBe(5);
    // b = h7 − 2·h8 + h9 with h_k(x) = max(0, x − k/14) vanishes at every data point.
    for (const x of d.x) expect(relu(x - 7 / 14) - 2 * relu(x - 8 / 14) + relu(x - 9 / 14)).toBeCloseTo(0, 14);
  });

  it("returns fresh arrays and rejects unknown names", () => {
    const a = bookDataset("fig9_7");
    a.x[0] = 99;
    expect(bookDataset("fig9_7").x[0]).toBe(0.027);
    expect(() => bookDataset("fig9_3" as "fig9_2")).toThrow(DatasetArgumentError);
  });
});
