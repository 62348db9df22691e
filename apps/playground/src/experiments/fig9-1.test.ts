import { describe, expect, it } from "vitest";
import { drain } from "./run.js";
import { FIG91_DEFAULTS, fig91 } from "./fig9-1.js";
import { tensor } from "@regularize/core-autodiff";
import { gabor } from "@regularize/core-train";
import { gaborData, gaborLoss, gaborLossRows } from "./gabor.js";
import { gridX, gridY } from "./run.js";

describe("fig91", () => {
  it("moves the global minimum to ≈ (0.086, 13.80) when λ = 0.2", () => {
    const t0 = performance.now();
    const r = drain(fig91(FIG91_DEFAULTS));
    console.log("fig91 ms", performance.now() - t0, r.lossMinima.length, r.totalMinima.length);
    const g = r.totalMinima[0]!;
    expect(g.phi[0]).toBeCloseTo(0.086, 2);
    expect(g.phi[1]).toBeCloseTo(13.80, 1);
    expect(g.value).toBeCloseTo(1.540, 2);
  });
  it("finds the unregularised global minimum ≈ (0.000, 16.03), L ≈ 0.6458", () => {
    const r = drain(fig91({ ...FIG91_DEFAULTS, lambda: 0 }));
    const g = r.lossMinima[0]!;
    expect(g.phi[0]).toBeCloseTo(0, 2);
    expect(g.phi[1]).toBeCloseTo(16.029, 2);
    expect(g.value).toBeCloseTo(0.64578, 3);
    expect(r.lossMinima.length).toBeGreaterThanOrEqual(8);
  });
  it("ends GD (α = 0.1, 41 steps from (2.6, 8.5)) near (0.10, 13.48) when λ = 0.2", () => {
    const r = drain(fig91(FIG91_DEFAULTS));
    const end = r.path[r.path.length - 1]!;
    console.log("gd end", end, r.path.length);
    expect(end[0]).toBeCloseTo(0.10, 1);
    expect(end[1]).toBeCloseTo(13.48, 1);
  });
  it("ends GD in the local minimum ≈ (6.05, 12.84) without regularisation", () => {
    const r = drain(fig91({ ...FIG91_DEFAULTS, lambda: 0 }));
    const end = r.path[r.path.length - 1]!;
    console.log("gd end λ=0", end);
    expect(end[0]).toBeCloseTo(6.05, 1);
    expect(end[1]).toBeCloseTo(12.84, 1);
  });
  it("evaluates the grid with the same model as core-train's gabor (vectorised over grid points)", () => {
    const n = 21;
    const rows = gaborLossRows(n, n, 0, n, "sum");
    const d = gaborData();
    const model = gabor();
    const g = { nx: n, ny: n, x0: -10, x1: 10, y0: 2.5, y1: 22.5 };
    for (const [i, j] of [[0, 0], [5, 7], [10, 13], [20, 20]] as const) {
      const phi = tensor([gridX(g, i), gridY(g, j)]);
      const pred = model.apply({ phi }, tensor(d.xs)).data;
      let sse = 0;
      for (let k = 0; k < d.n; k++) sse += (pred[k]! - d.ys[k]!) ** 2;
      expect(rows[j * n + i]).toBeCloseTo(sse, 12);
      expect(gaborLoss(phi).item()).toBeCloseTo(sse, 12);
    }
  });
  it("matches the §1.3 test vectors L(0.6, −0.2) = 16.419 and L(2.6, 8.5) = 18.5032", () => {
    expect(gaborLoss(tensor([0.6, -0.2])).item()).toBeCloseTo(16.419, 3);
    expect(gaborLoss(tensor([2.6, 8.5])).item()).toBeCloseTo(18.5032, 4);
  });
});
