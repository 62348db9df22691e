import { toDisplayUnits } from "@regularize/datasets";
import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import { FIG92_LAMBDAS, type Fig92Result } from "../impl/fig9-2.js";

// CHAPTER9 §2 fig 9.2, seed-1 fixture: f(0), f(0.25), f(0.5), f(0.75), f(1), SSE (raw units).
const TABLE: Record<number, readonly number[]> = {
  0: [-1.0757, 2.7917, 1.0575, 0.7893, 2.0810, 0],
  1e-5: [-0.4930, 2.7849, 1.0669, 0.7945, 1.1657, 0.050979],
  1e-4: [0.4486, 2.7594, 1.1096, 0.7808, 0.2839, 0.368001],
  1e-3: [0.8776, 2.6950, 1.1475, 0.6998, 0.2208, 0.657137],
  1e-2: [1.4022, 2.4457, 1.2871, 0.6141, 0.2810, 1.233047],
  1e-1: [1.9740, 2.0840, 1.4222, 0.6774, 0.1691, 3.041165],
};

describe("fig9.2", async () => {
  const r = (await runExperiment("fig9.2", { data: "seed", seed: 1 })) as Fig92Result;
  for (const lambda of FIG92_LAMBDAS) {
    it(`matches the §2 table row for λ = ${lambda} on the seed-1 data (1e-3)`, () => {
      const fit = r.fits.find((f) => f.lambda === lambda)!;
      const row = TABLE[lambda]!;
      for (let i = 0; i < 5; i++) expect(Math.abs(fit.probes[i]! - row[i]!)).toBeLessThan(1e-3);
      expect(Math.abs(fit.sse - row[5]!)).toBeLessThan(1e-3);
    });
  }
  it("reproduces the printed book curves' end points (scaled units)", async () => {
    const b = (await runExperiment("fig9.2", {})) as Fig92Result;
    const at = (lambda: number) => b.fits.find((f) => f.lambda === lambda)!;
    const expected: [number, number, number][] = [[0.1, 0.16, -0.54], [0.01, -0.06, -0.30], [1e-5, -0.82, 0.02]];
    for (const [lambda, f0, f1] of expected) {
      expect(toDisplayUnits(at(lambda).probes[0]!)).toBeCloseTo(f0, 1);
      expect(toDisplayUnits(at(lambda).probes[4]!)).toBeCloseTo(f1, 1);
    }
    expect(at(0).sse).toBeLessThan(1e-12); // λ = 0 interpolates the 15 points
  });
  it("SSE grows monotonically with λ", () => {
    const s = r.fits.map((f) => f.sse);
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThanOrEqual(s[i - 1]! - 1e-12);
  });
  it("rejects an unknown data choice", async () => {
    await expect(runExperiment("fig9.2", { data: "mnist" })).rejects.toThrow(/data/);
  });
});
