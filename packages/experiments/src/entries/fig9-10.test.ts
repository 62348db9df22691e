import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import type { Fig910Fit, Fig910Result } from "../impl/fig9-10.js";

describe("fig9.10", async () => {
  const r = (await runExperiment("fig9.10", { sigma: 0.2 })) as Fig910Result;
  const [s0, s06, s1, s2] = r.fits as [Fig910Fit, Fig910Fit, Fig910Fit, Fig910Fit];
  it("gets smoother (less total curvature) as σx grows", () => {
    expect(s06.roughness).toBeLessThan(s0.roughness);
    expect(s1.roughness).toBeLessThan(s06.roughness);
    expect(s2.roughness).toBeLessThan(s1.roughness);
  });
  it("fits the clean data less closely as σx grows (a regulariser, not a better fit)", () => {
    expect(s0.sse).toBeLessThan(s06.sse);
    expect(s06.sse).toBeLessThan(s1.sse);
  });
  it("draws ten noisy copies per point with spread ≈ σx (and none for σx = 0)", () => {
    const spread = (f: Fig910Fit) => {
      let s = 0;
      for (let k = 0; k < f.samples.length; k++) s += (f.samples[k]! - r.x[Math.floor(k / 10)]!) ** 2;
      return Math.sqrt(s / f.samples.length);
    };
    expect(s1.samples).toHaveLength(150);
    expect(spread(s0)).toBe(0);
    expect(spread(s1)).toBeGreaterThan(0.07);
    expect(spread(s1)).toBeLessThan(0.13);
  });
});
