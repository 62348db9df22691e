import { describe, expect, it } from "vitest";
import { ExperimentParamsError, createPlugin, listPlugins } from "../index.js";
import { augmentationFromOptions } from "./noise-augment.js";

describe("augment plugin spec", () => {
  it("is listed under @regularize/noise and creates the dataAugmentation plugin by name", () => {
    expect(listPlugins().find((s) => s.name === "augment")?.package).toBe("@regularize/noise");
    const p = createPlugin("augment", { shift: 40, scale: 0.2, noise: 0.05 });
    expect(p.name).toBe("augment");
    expect(typeof p.beforeBatch).toBe("function");
  });

  it("builds notebook 9.5's augmentation by default and wraps it in randomApply when p < 1", () => {
    const defaults = { shift: 40, scale: 0.2, stretch: 0, noise: 0, smooth: 0, warp: 0, cutout: 0, mixup: 0, numClasses: 10, p: 1 };
    const x = Float64Array.from({ length: 40 }, (_, j) => j + 1);
    const out = augmentationFromOptions(defaults)({ x, shape: [1, 40] }, 3).x;
    const sorted = Array.from(out).sort((a, b) => a - b);
    const s = sorted[0]!;
    sorted.forEach((v, j) => expect(v).toBeCloseTo(s * (j + 1), 12));
    expect(augmentationFromOptions({ ...defaults, p: 0.5 }).augmentation).toBe("randomApply");
    expect(augmentationFromOptions({ ...defaults, mixup: 0.2 }).mixesLabels).toBe(true);
  });

  it("rejects out-of-range options naming them", () => {
    const err = (() => {
      try {
        createPlugin("augment", { p: 1.5 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ExperimentParamsError);
    expect((err as ExperimentParamsError).issues[0]?.path).toBe("p");
    expect(() => createPlugin("augment", { shfit: 3 })).toThrow(ExperimentParamsError);
  });
});
