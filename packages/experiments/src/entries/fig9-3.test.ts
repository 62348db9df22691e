import { tensor } from "@regularize/core-autodiff";
import { implicitGdTerm } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import { type Fig93Result, fig93Loss } from "../impl/fig9-3.js";
import { gridX, gridY } from "../impl/grid.js";

describe("fig9.3", async () => {
  const r = (await runExperiment("fig9.3", {})) as Fig93Result;
  it("ends discrete GD (α = 0.05, 100 steps) at (−0.2078, −0.0015)", () => {
    const e = r.discrete.at(-1)!;
    expect(r.discrete).toHaveLength(101);
    expect(e[0]).toBeCloseTo(-0.2078, 4);
    expect(e[1]).toBeCloseTo(-0.0015, 4);
  });
  it("ends the gradient flow near (−0.2269, 0) (reference: GD α = 0.001 × 10 000, itself O(α) off the flow)", () => {
    const e = r.flow.at(-1)!;
    expect(Math.abs(e[0] - -0.2269)).toBeLessThan(1e-3);
    expect(Math.abs(e[1])).toBeLessThan(1e-4);
  });
  it("ends the flow on L + α/4‖∇L‖² near (−0.2089, 0), close to the discrete end", () => {
    const e = r.modifiedFlow.at(-1)!;
    expect(Math.abs(e[0] - -0.2089)).toBeLessThan(1e-3);
    expect(Math.abs(e[1])).toBeLessThan(1e-4);
    const d = r.discrete.at(-1)!;
    expect(Math.abs(e[0] - d[0])).toBeLessThan(Math.abs(r.flow.at(-1)![0] - d[0]));
  });
  it("matches optim's implicitGdTerm point by point on the grid", () => {
    const term = implicitGdTerm(fig93Loss, 0.05);
    for (const [i, j] of [[0, 0], [10, 20], [65, 65], [130, 3], [40, 100]] as const) {
      const v = term(tensor([gridX(r.term, i), gridY(r.term, j)])).item();
      expect(r.term.values[j * r.term.nx + i]).toBeCloseTo(v, 12);
    }
  });
});
