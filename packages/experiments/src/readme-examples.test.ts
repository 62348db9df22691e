import { describe, expect, it } from "vitest";
import { describeParams, getExperiment, listExperiments, runExperiment } from "./index.js";

// The README's example, verbatim apart from the assertions.
describe("README example", () => {
  it("lists, describes and runs entries, with catalog plugins", async () => {
    const ids = listExperiments().map((e) => e.id);
    expect(ids).toContain("fig9.1");
    expect(ids).toContain("mnist1d");
    const lambda = describeParams(getExperiment("fig9.2").params).find((p) => p.key === "lambda");
    expect(lambda).toEqual({ key: "lambda", type: "number", default: 0.0003, required: false, min: 0, max: 100, description: "λ of the free panel" });

    const fractions: number[] = [];
    const r = (await runExperiment("fig9.2", { data: "seed", seed: 1 }, { onProgress: (p) => void fractions.push(p.fraction) })) as {
      fits: { sse: number }[];
    };
    expect(Math.abs(r.fits[5]!.sse - 3.041165)).toBeLessThan(1e-3);
    expect(fractions.length).toBeGreaterThan(0);

    const m = (await runExperiment("mnist1d", { steps: 60, samples: 500, evalEvery: 0 }, {
      plugins: [{ name: "l2", options: { lambda: 1e-4 } }, { name: "dropout", options: { rate: 0.1 } }],
    })) as { testAccuracy: number; loss: { values: number[] } };
    expect(m.testAccuracy).toBeGreaterThan(0.1);
    expect(m.loss.values.every(Number.isFinite)).toBe(true);
  });
});
