import { describe, expect, it } from "vitest";
import { getExperiment, runExperiment } from "../index.js";
import type { UncertaintyResult } from "../impl/mnist1d-uncertainty.js";

describe("mnist1d-uncertainty", () => {
  it("runs every method on a tiny setting and reports finite accuracy, NLL and ECE for each", async () => {
    const r = (await runExperiment("mnist1d-uncertainty", {
      samples: 200, steps: 30, members: 2, mcSamples: 3, swagEpochs: 2, swagRank: 2, sgldSteps: 20, sgldSamples: 2,
    })) as UncertaintyResult;
    expect(r.rows.map((x) => x.method.split(" ")[0])).toEqual(["MAP", "deep", "MC", "last-layer", "diagonal", "KFAC", "SWAG", "SGLD", "Bayes"]);
    for (const row of r.rows) {
      expect(row.accuracy).toBeGreaterThanOrEqual(0);
      expect(row.accuracy).toBeLessThanOrEqual(1);
      expect(Number.isFinite(row.nll) && row.nll > 0).toBe(true);
      expect(row.ece).toBeGreaterThanOrEqual(0);
    }
    expect(getExperiment("mnist1d-uncertainty").plots!(r, {}).map((f) => f.name)).toEqual(["nll", "ece"]);
  });
});
