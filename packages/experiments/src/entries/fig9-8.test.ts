import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import type { Fig98Result } from "../impl/fig9-8.js";

describe("fig9.8", () => {
  it("masks keep each unit with probability 1 − p; MC dropout's mean is close to the weight-scaling rule", async () => {
    const r = (await runExperiment("fig9.8", { steps: 300, width: 32, samples: 200, frames: 400 })) as Fig98Result;
    const kept = r.masks.flat();
    expect(kept.every((k) => k === 0 || k === 1)).toBe(true);
    expect(kept.reduce((a, b) => a + b, 0) / kept.length).toBeCloseTo(0.5, 1); // 3200 draws: sd ≈ 0.009
    expect(r.grid).toHaveLength(100);
    expect(r.mcSd.every((s) => s >= 0)).toBe(true);
    expect(r.mcSd.some((s) => s > 0)).toBe(true); // dropout is on at test time
    // the two inference rules differ (ReLU nets are not linear in the masks) but not by much
    expect(r.gap).toBeGreaterThan(0);
    expect(r.gap).toBeLessThan(0.5);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
  it("rate 0 gives identical rules and no spread", async () => {
    const r = (await runExperiment("fig9.8", { rate: 0, steps: 50, width: 8, samples: 5, frames: 3 })) as Fig98Result;
    expect(r.masks.flat().every((k) => k === 1)).toBe(true);
    expect(r.gap).toBeLessThan(1e-20);
    expect(Math.max(...r.mcSd)).toBeLessThan(1e-9);
  });
});
