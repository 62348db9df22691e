import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { fit } from "./fit.js";
import { gabor } from "./gabor.js";
import { referenceSgd } from "./reference-sgd.js";

// Notebook 9.1's 30-point Gabor dataset (CHAPTER9 §1.3).
const PAIRS = [
  [-1.92, -1.051], [-14.22, -0.02482], [1.49, 0.8896], [-1.94, -0.4943], [-2.389, -0.9371],
  [-5.09, 0.4306], [-8.861, 0.009577], [3.578, -0.07944], [-6.01, 0.1624], [-6.995, -0.2682],
  [3.634, -0.3129], [0.8743, 0.8303], [-10.96, -0.02365], [0.4073, 0.5098], [-9.467, -0.2777],
  [8.56, 0.3367], [10.62, 0.1927], [-0.1729, -0.2222], [10.4, 0.06352], [-12.61, 0.006888],
  [0.1574, 0.03224], [-13.04, 0.01091], [-2.156, -0.5706], [-12.1, -0.05258], [-11.19, -0.03666],
  [2.902, 0.1709], [-8.22, -0.04805], [-11.79, 0.2008], [-8.391, -0.1904], [-4.505, 0.5952],
] as const;
export const gaborData = { x: tensor(PAIRS.map((p) => p[0])), y: tensor(PAIRS.map((p) => p[1])) };

describe("fit on the Gabor model", () => {
  it("reproduces notebook 9.1's full-batch GD path when α = 0.1 for 41 steps from (2.6, 8.5)", async () => {
    const r = await fit({ model: gabor({ init: [2.6, 8.5] }), data: gaborData, loss: "sse", optimizer: referenceSgd({ lr: 0.1 }), steps: 41 });
    const [p0, p1] = r.params.phi.toFlatArray() as [number, number];
    expect(p0).toBeCloseTo(6.05, 2);
    expect(p1).toBeCloseTo(12.84, 2);
    expect(r.history.steps[0]!.loss).toBeCloseTo(18.5032, 3);
    expect(r.history.steps).toHaveLength(41);
    expect(r.stopped).toBe("completed");
  });
});
