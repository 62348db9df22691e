import { describe, expect, it } from "vitest";
import { runExperiment } from "./index.js";

interface Arm { testError: number[]; bestTestError: number }
interface Result { baseline: Arm; augmented: Arm }

// The full recipe (50 epochs, 3 seeds) is recorded in the README; here 2 epochs keep CI fast.
describe("notebook9.5", () => {
  it("returns per-epoch test errors in [0, 1] and their minimum for both arms, and both arms learn", async () => {
    const r = (await runExperiment("notebook9.5", { seed: 0, epochs: 2 })) as Result;
    expect(Object.keys(r).sort()).toEqual(["augmented", "baseline"]);
    for (const arm of [r.baseline, r.augmented]) {
      expect(Object.keys(arm).sort()).toEqual(["bestTestError", "testError"]);
      expect(Array.isArray(arm.testError)).toBe(true);
      expect(arm.testError.length).toBe(2);
      for (const e of arm.testError) {
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
      }
      expect(arm.bestTestError).toBe(Math.min(...arm.testError));
      // Chance is 90 % error; two epochs of SGD already reach well below it.
      expect(arm.bestTestError).toBeLessThan(0.7);
    }
    expect(r.augmented.testError).not.toEqual(r.baseline.testError);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("with no extra copies the augmented arm is the baseline bit for bit, and a seed reproduces a run", async () => {
    const a = (await runExperiment("notebook9.5", { seed: 0, epochs: 1 })) as Result;
    const b = (await runExperiment("notebook9.5", { seed: 0, epochs: 1, extra: 0 })) as Result;
    expect(b.augmented).toEqual(b.baseline);
    expect(b.baseline).toEqual(a.baseline);
    const c = (await runExperiment("notebook9.5", { seed: 1, epochs: 1, extra: 0 })) as Result;
    expect(c.baseline.testError).not.toEqual(a.baseline.testError);
  });
});
