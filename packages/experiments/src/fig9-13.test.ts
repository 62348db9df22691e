import { describe, expect, it } from "vitest";
import { getExperiment, runExperiment } from "./index.js";
import type { Fig913Result } from "./impl/fig9-13.js";

describe("fig9.13", () => {
  it("applies every transform to one digit; the seed controls the draws", async () => {
    const r = (await runExperiment("fig9.13", { seed: 3, index: 7, compare: false })) as Fig913Result;
    expect(r.digit.x.length).toBe(40);
    expect(r.comparison).toBeUndefined();
    const names = r.transforms.map((t) => t.name);
    expect(names).toEqual([
      "reversal", "circularShift", "timeStretch", "amplitudeScale", "gaussianSmooth", "windowing", "timeWarp",
      "gaussianNoise", "cutout", "mixup", "cutmix", "notebook9.5",
    ]);
    for (const t of r.transforms) {
      expect(t.x.length).toBe(40);
      expect(t.x.every(Number.isFinite)).toBe(true);
      expect(t.x, t.name).not.toEqual(r.digit.x);
      expect(t.label.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    const flags = Object.fromEntries(r.transforms.map((t) => [t.name, t.labelPreserving]));
    expect([flags.reversal, flags.mixup, flags.cutmix, flags.circularShift, flags.timeWarp]).toEqual([false, false, false, true, true]);
    expect(r.transforms.find((t) => t.name === "reversal")!.x).toEqual([...r.digit.x].reverse());

    const again = (await runExperiment("fig9.13", { seed: 3, index: 7, compare: false })) as Fig913Result;
    expect(again).toEqual(r);
    const other = (await runExperiment("fig9.13", { seed: 4, index: 7, compare: false })) as Fig913Result;
    for (const name of ["circularShift", "timeStretch", "amplitudeScale", "timeWarp", "gaussianNoise"]) {
      expect(other.transforms.find((t) => t.name === name)!.x).not.toEqual(r.transforms.find((t) => t.name === name)!.x);
    }
    expect(getExperiment("fig9.13").plots!(r, {} as never).length).toBe(12);
  });

  it("adds notebook 9.5's comparison and its plot", async () => {
    const r = (await runExperiment("fig9.13", { seed: 0, epochs: 1, extra: 400 })) as Fig913Result;
    expect(r.comparison!.baseline.testError.length).toBe(1);
    expect(r.comparison!.augmented.bestTestError).toBeLessThan(0.9);
    expect(getExperiment("fig9.13").plots!(r, {} as never).at(-1)!.name).toBe("notebook9-5-test-error");
  });
});
