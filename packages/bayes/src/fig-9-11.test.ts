import { describe, expect, it } from "vitest";
import { SEED1_X, SEED1_Y } from "../test/seed1.js";
import { linearGaussian } from "./linear-gaussian.js";
import { reluFeatures } from "./relu-features.js";

// CHAPTER9.md, figure 9.11 [VERIFIED]: posterior mean / function sd (without σ²) on the seed-1 data,
// K = 14, σ² = 0.09, at x = 0, 0.25, 0.5, 0.75, 1 — printed to 4 decimals.
const TABLE: Record<number, { mean: number[]; sd: number[] }> = {
  1000: { mean: [0.4173, 2.7612, 1.1070, 0.7830, 0.2967], sd: [0.5317, 0.2070, 0.3243, 0.2350, 1.9596] },
  100: { mean: [0.8596, 2.7000, 1.1456, 0.7039, 0.2207], sd: [0.3700, 0.1879, 0.2480, 0.1946, 0.7903] },
  10: { mean: [1.3625, 2.4634, 1.2772, 0.6167, 0.2783], sd: [0.2617, 0.1525, 0.1762, 0.1593, 0.3916] },
};
const AT = [0, 0.25, 0.5, 0.75, 1];

describe("linearGaussian on figure 9.11", () => {
  for (const sp2 of [1000, 100, 10]) {
    it(`reproduces the chapter's table to the 4 printed decimals when σ_p² = ${sp2}`, () => {
      const post = linearGaussian({ features: reluFeatures(SEED1_X, 14), targets: SEED1_Y, noiseVariance: 0.09, priorVariance: sp2 });
      const p = post.predict(reluFeatures(AT, 14));
      const want = TABLE[sp2]!;
      AT.forEach((_, i) => {
        expect(Math.abs(p.mean[i]! - want.mean[i]!)).toBeLessThanOrEqual(5e-5);
        expect(Math.abs(Math.sqrt(p.variance[i]!) - want.sd[i]!)).toBeLessThanOrEqual(5e-5);
      });
    });
  }
});
