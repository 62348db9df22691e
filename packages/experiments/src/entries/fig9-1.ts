import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { intParam, numberParam, pointParam } from "../params.js";
import type { Fig91Result } from "../impl/fig9-1.js";
import { gridFigure } from "./grid-figure.js";

/** Figure 9.1 / notebook 9.1: explicit L2 regularisation of the Gabor loss. */
export const fig91 = defineExperiment({
  id: "fig9.1",
  title: "Explicit L2 regularisation on the Gabor loss",
  reproduces: "Figure 9.1 (notebook 9.1), eq. 9.5",
  description:
    "Loss surface of the Gabor model (eq. 6.8) on its 30 points, the regulariser g(φ) = φ0² + (φ1 − 12.5)², " +
    "and L + λg with its minima and a gradient-descent path (α = 0.1, 41 steps from (2.6, 8.5) as in the notebook).",
  params: v.object({
    lambda: numberParam(0.2, 0, 10, "regularisation strength λ of the centred L2 term"),
    start: pointParam([2.6, 8.5], -50, 50, "gradient-descent start (φ0, φ1)"),
    alpha: numberParam(0.1, 1e-6, 2, "gradient-descent learning rate α"),
    steps: intParam(41, 0, 100_000, "gradient-descent steps"),
    resolution: intParam(201, 11, 401, "grid points per axis over φ0 ∈ [−10, 10], φ1 ∈ [2.5, 22.5] (201 = step 0.1)"),
  }),
  load: async () => (await import("../impl/fig9-1.js")).fig91,
  plots: (r: Fig91Result, p) => [
    gridFigure("loss", "a) loss L(φ) with its local minima", r.loss, "offset φ0", "frequency φ1", [], [{ name: "minima", points: r.lossMinima.map((m) => m.phi) }]),
    gridFigure("regularizer", "b) regulariser g(φ) = φ0² + (φ1 − 12.5)²", r.reg, "offset φ0", "frequency φ1", []),
    gridFigure("total", `c) L + λg, λ = ${p.lambda}, with the GD path`, r.total, "offset φ0", "frequency φ1",
      [{ name: "GD path", points: r.path }], [{ name: "minima", points: r.totalMinima.map((m) => m.phi) }]),
  ],
});
