import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { intParam, numberParam, pointParam } from "../params.js";
import type { GaborGdResult } from "../impl/gabor-gd.js";
import { lossFigure } from "./figures.js";

/** Gradient descent on the Gabor loss with the curvature along the gradient (double backprop). */
export const gaborGd = defineExperiment({
  id: "gabor-gd",
  title: "Gradient descent on the Gabor loss, with curvature",
  reproduces: "Notebook 9.1 (fig 9.1c's path), eq. 6.8",
  description:
    "GD on the Gabor loss plus λ·(φ0² + (φ1 − 12.5)²): per step the loss, ‖∇L‖ and gᵀHg/‖g‖² (double backprop). " +
    "41 steps with α = 0.1 from (2.6, 8.5) end at (6.05, 12.84) without the regulariser and at (0.10, 13.48) with λ = 0.2.",
  params: v.object({
    start: pointParam([2.6, 8.5], -50, 50, "start point (φ0, φ1)"),
    lr: numberParam(0.1, 1e-6, 2, "learning rate α"),
    steps: intParam(41, 0, 100_000, "GD steps"),
    lambda: numberParam(0, 0, 10, "weight λ of the centred L2 term (0 = none)"),
  }),
  load: async () => (await import("../impl/gabor-gd.js")).gaborGd,
  plots: (r: GaborGdResult) => [
    lossFigure("loss", "Loss along the GD path", "step", "loss", [{ name: "loss", x: r.step, y: r.loss }]),
    {
      name: "path", title: "GD path in parameter space", x: { label: "offset φ0" }, y: { label: "frequency φ1" },
      marks: [{ type: "line", x: r.phi0, y: r.phi1, series: "path" }, { type: "dot", x: r.phi0, y: r.phi1, series: "path" }],
    },
  ],
});
