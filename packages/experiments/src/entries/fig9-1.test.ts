import { tensor } from "@regularize/core-autodiff";
import { gabor } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import type { Fig91Result } from "../impl/fig9-1.js";
import { gaborData, gaborLoss, gaborLossRows } from "../impl/gabor-grid.js";
import { gridX, gridY } from "../impl/grid.js";

const run = (p: object = {}) => runExperiment("fig9.1", p) as Promise<Fig91Result>;

describe("fig9.1", () => {
  it("moves the global minimum to ≈ (0.086, 13.80) when λ = 0.2 (the default)", async () => {
    const r = await run();
    const g = r.totalMinima[0]!;
    expect(g.phi[0]).toBeCloseTo(0.086, 2);
    expect(g.phi[1]).toBeCloseTo(13.80, 1);
    expect(g.value).toBeCloseTo(1.540, 2);
    // GD (α = 0.1, 41 steps from (2.6, 8.5)) ends near (0.10, 13.48)
    const end = r.path.at(-1)!;
    expect(r.path).toHaveLength(42);
    expect(end[0]).toBeCloseTo(0.10, 1);
    expect(end[1]).toBeCloseTo(13.48, 1);
  });
  it("finds the unregularised global minimum ≈ (0.000, 16.03), L ≈ 0.6458, and GD ends in the local minimum ≈ (6.05, 12.84)", async () => {
    const r = await run({ lambda: 0 });
    const g = r.lossMinima[0]!;
    expect(g.phi[0]).toBeCloseTo(0, 2);
    expect(g.phi[1]).toBeCloseTo(16.029, 2);
    expect(g.value).toBeCloseTo(0.64578, 3);
    expect(r.lossMinima.length).toBeGreaterThanOrEqual(8);
    const end = r.path.at(-1)!;
    expect(end[0]).toBeCloseTo(6.05, 1);
    expect(end[1]).toBeCloseTo(12.84, 1);
  });
  it("returns plain JSON (number[] grids) that survives a JSON round trip", async () => {
    const r = await run({ resolution: 21 });
    expect(Array.isArray(r.loss.values)).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
  it("evaluates the grid with core-train's gabor model (vectorised over grid points)", () => {
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
  it("rejects out-of-range params naming the param", async () => {
    await expect(run({ lambda: -1 })).rejects.toThrow(/lambda/);
    await expect(run({ start: [1] })).rejects.toThrow(/start/);
  });
});
