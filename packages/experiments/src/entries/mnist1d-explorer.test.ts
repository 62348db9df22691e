import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import type { Mnist1dResult } from "../impl/mnist1d-explorer.js";

const run = (p: object = {}) => runExperiment("mnist1d-explorer", p) as Promise<Mnist1dResult>;

describe("mnist1d-explorer", () => {
  it("traces every pipeline stage with the expected lengths", async () => {
    const r = await run();
    const len = Object.fromEntries(r.steps.map((s) => [s.key, s.values.length]));
    expect(len.template).toBe(12);
    expect(len.padded).toBe(12 + r.draws.p);
    expect(r.draws.p).toBeGreaterThanOrEqual(36);
    expect(r.draws.p).toBeLessThanOrEqual(60);
    for (const k of ["dilated", "scaled", "shifted", "withCorrNoise", "withIidNoise", "sheared"]) expect(len[k]).toBe(72);
    expect(len.downsampled).toBe(40);
    expect(r.templates).toHaveLength(10);
    expect(r.templates.every((t) => t.length === 12 && t[0] === 0)).toBe(true);
    // template 1's test vector (CHAPTER9 §1.4)
    expect(r.templates[1]![1]).toBeCloseTo(-0.369863, 6);
    expect(r.templates[1]![8]).toBeCloseTo(0.073973, 6);
  });
  it("draws perClass samples of 40 points for each of the ten classes", async () => {
    const r = await run({ perClass: 4 });
    expect(r.grid).toHaveLength(10);
    for (const row of r.grid) {
      expect(row).toHaveLength(4);
      for (const s of row) expect(s.length).toBe(40);
    }
  });
  it("is deterministic in the seed and changes with it", async () => {
    const a = await run();
    const b = await run();
    const c = await run({ seed: 7 });
    expect(a.steps.at(-1)!.values).toEqual(b.steps.at(-1)!.values);
    expect(a.steps.at(-1)!.values).not.toEqual(c.steps.at(-1)!.values);
  });
  it("rejects a label outside 0…9", async () => {
    await expect(run({ label: 10 })).rejects.toThrow(/label/);
  });
});
