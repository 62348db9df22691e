import { tensor } from "@regularize/core-autodiff";
import { expectedSgdTerm, implicitGdTerm } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import { type Fig94Result, gaborMeanLoss, gaborPerExample, modifiedSgdObjective } from "../impl/fig9-4.js";
import { gridX, gridY } from "../impl/grid.js";

describe("fig9.4", async () => {
  const r = (await runExperiment("fig9.4", { resolution: 51 })) as Fig94Result;
  const probes = [[0, 0], [10, 20], [25, 33], [50, 3], [40, 50]] as const;

  it("computes the grid terms exactly as optim's implicitGdTerm / expectedSgdTerm at single points", () => {
    const gd = implicitGdTerm(gaborMeanLoss, 10);
    const sgd = expectedSgdTerm(gaborPerExample, 10, 5);
    for (const [i, j] of probes) {
      const phi = tensor([gridX(r.loss, i), gridY(r.loss, j)]);
      const k = j * r.loss.nx + i;
      expect(r.loss.values[k]).toBeCloseTo(gaborMeanLoss(phi).item(), 12);
      expect(r.gdTerm.values[k]).toBeCloseTo(gd(phi).item(), 10);
      expect(r.sgdTerm.values[k]).toBeCloseTo(sgd(phi).item(), 10);
    }
  });
  it("keeps the terms non-negative and the SGD term zero for full batch", async () => {
    expect(Math.min(...r.gdTerm.values)).toBeGreaterThanOrEqual(0);
    expect(Math.min(...r.sgdTerm.values)).toBeGreaterThanOrEqual(0);
    const full = (await runExperiment("fig9.4", { batchSize: 30, resolution: 21 })) as Fig94Result;
    expect(Math.max(...full.sgdTerm.values)).toBe(0);
  });
  it("finds the mean-loss minimum ≈ (0.00, 16.03) and a modified minimum that barely moves (within 0.5)", () => {
    expect(r.lossMin.phi[0]).toBeCloseTo(0, 1);
    expect(r.lossMin.phi[1]).toBeCloseTo(16.03, 1);
    const m = r.modifiedMin.phi;
    expect(Math.hypot(m[0] - r.lossMin.phi[0], m[1] - r.lossMin.phi[1])).toBeLessThan(0.5);
    const f = modifiedSgdObjective(10, 5);
    const v = f(tensor([m[0], m[1]])).item();
    for (const [dx, dy] of [[0.01, 0], [-0.01, 0], [0, 0.01], [0, -0.01]] as const) {
      expect(f(tensor([m[0] + dx, m[1] + dy])).item()).toBeGreaterThan(v);
    }
  });
});
