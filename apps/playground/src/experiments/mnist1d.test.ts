import { describe, expect, it } from "vitest";
import { MNIST1D_EXPLORER_DEFAULTS, mnist1dExplorer } from "./mnist1d.js";
import { drain } from "./run.js";

describe("mnist1dExplorer", () => {
  it("traces every pipeline stage with the expected lengths", () => {
    const r = drain(mnist1dExplorer(MNIST1D_EXPLORER_DEFAULTS));
    const len = Object.fromEntries(r.steps.map((s) => [s.key, s.values.length]));
    expect(len.template).toBe(12);
    expect(len.padded).toBe(12 + r.draws.p);
    expect(r.draws.p).toBeGreaterThanOrEqual(36);
    expect(r.draws.p).toBeLessThanOrEqual(60);
    for (const k of ["dilated", "scaled", "shifted", "withCorrNoise", "withIidNoise", "sheared"]) expect(len[k]).toBe(72);
    expect(len.downsampled).toBe(40);
    expect(r.templates).toHaveLength(10);
    expect(r.templates.every((t) => t.length === 12 && t[0] === 0)).toBe(true);
  });
  it("draws perClass samples of 40 points for each of the ten classes", () => {
    const r = drain(mnist1dExplorer({ ...MNIST1D_EXPLORER_DEFAULTS, perClass: 4 }));
    expect(r.grid).toHaveLength(10);
    for (const row of r.grid) {
      expect(row).toHaveLength(4);
      for (const s of row) expect(s.length).toBe(40);
    }
  });
  it("is deterministic in the seed and changes with it", () => {
    const a = drain(mnist1dExplorer(MNIST1D_EXPLORER_DEFAULTS));
    const b = drain(mnist1dExplorer(MNIST1D_EXPLORER_DEFAULTS));
    const c = drain(mnist1dExplorer({ ...MNIST1D_EXPLORER_DEFAULTS, seed: 7 }));
    expect(Array.from(a.steps.at(-1)!.values)).toEqual(Array.from(b.steps.at(-1)!.values));
    expect(Array.from(a.steps.at(-1)!.values)).not.toEqual(Array.from(c.steps.at(-1)!.values));
  });
});
