import { describe, expect, it } from "vitest";
import { ExperimentParamsError, getExperiment, runExperiment } from "../index.js";

const AT = [0, 0.25, 0.5, 0.75, 1];

describe("fig9.11", () => {
  it("resolves { mean, sd } at `at` matching the chapter's table when σ_p² = 10 (defaults: seed-1 data, K = 14, σ² = 0.09)", async () => {
    const r = (await runExperiment("fig9.11", { priorVariance: 10, at: AT })) as { mean: number[]; sd: number[]; sdWithNoise: number[] };
    const mean = [1.3625, 2.4634, 1.2772, 0.6167, 0.2783], sd = [0.2617, 0.1525, 0.1762, 0.1593, 0.3916];
    AT.forEach((_, i) => {
      expect(Math.abs(r.mean[i]! - mean[i]!)).toBeLessThanOrEqual(5e-5);
      expect(Math.abs(r.sd[i]! - sd[i]!)).toBeLessThanOrEqual(5e-5);
      expect(r.sdWithNoise[i]! ** 2 - r.sd[i]! ** 2).toBeCloseTo(0.09, 12);
    });
  });

  it("takes explicit data, hidden units and noise variance, and returns plain arrays", async () => {
    const r = (await runExperiment("fig9.11", { data: { x: [0.1, 0.5, 0.9], y: [1, 2, 1] }, hiddenUnits: 3, noiseVariance: 0.5, priorVariance: 2, at: [0.2, 0.4] })) as Record<string, unknown>;
    expect(Array.isArray(r.mean) && Array.isArray(r.sd)).toBe(true);
    expect((r.mean as number[]).length).toBe(2);
    expect((r.samples as number[][]).length).toBe(2);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const figs = getExperiment("fig9.11").plots!(r, {});
    expect(figs.map((f) => f.name)).toEqual(["samples", "predictive"]);
  });

  it("rejects a non-positive variance and data whose x and y disagree", async () => {
    await expect(runExperiment("fig9.11", { noiseVariance: 0 })).rejects.toBeInstanceOf(ExperimentParamsError);
    await expect(runExperiment("fig9.11", { data: { x: [0.1, 0.2], y: [1] } })).rejects.toBeInstanceOf(ExperimentParamsError);
  });
});
