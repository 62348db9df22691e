import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import type { GaborGdResult } from "../impl/gabor-gd.js";

describe("gabor-gd", () => {
  it("ends where notebook 9.1's 41 GD steps end, with and without the λ = 0.2 regulariser", async () => {
    const plain = (await runExperiment("gabor-gd", {})) as GaborGdResult;
    expect(plain.step).toHaveLength(42);
    expect(plain.phi0.at(-1)).toBeCloseTo(6.05, 1);
    expect(plain.phi1.at(-1)).toBeCloseTo(12.84, 1);
    expect(plain.loss.at(-1)).toBeCloseTo(5.64, 1);
    expect(plain.loss[0]).toBeCloseTo(18.5032, 4);
    const reg = (await runExperiment("gabor-gd", { lambda: 0.2 })) as GaborGdResult;
    expect(reg.phi0.at(-1)).toBeCloseTo(0.1, 1);
    expect(reg.phi1.at(-1)).toBeCloseTo(13.48, 1);
  });
  it("computes the curvature along the gradient gᵀHg/‖g‖² by double backprop (checked by finite differences of the gradient)", async () => {
    const r = (await runExperiment("gabor-gd", { steps: 3 })) as GaborGdResult;
    const { gaborLoss } = await import("../impl/gabor-grid.js");
    const { grad, tensor } = await import("@regularize/core-autodiff");
    const g = grad((p) => gaborLoss(p));
    for (let s = 0; s <= 3; s++) {
      const phi = [r.phi0[s]!, r.phi1[s]!];
      const gv = Array.from(g(tensor(phi)).data);
      const n = Math.hypot(gv[0]!, gv[1]!);
      const u = [gv[0]! / n, gv[1]! / n];
      const h = 1e-5;
      const gp = Array.from(g(tensor([phi[0]! + h * u[0]!, phi[1]! + h * u[1]!])).data);
      const gm = Array.from(g(tensor([phi[0]! - h * u[0]!, phi[1]! - h * u[1]!])).data);
      const fd = (u[0]! * (gp[0]! - gm[0]!) + u[1]! * (gp[1]! - gm[1]!)) / (2 * h);
      expect(r.curvature[s]).toBeCloseTo(fd, 4);
    }
  });
});
