import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { intParam, numberParam, pointParam } from "../params.js";
import type { Fig93Result } from "../impl/fig9-3.js";
import { gridFigure } from "./grid-figure.js";

/** Figure 9.3 / notebook 9.2: implicit regularisation of gradient descent. */
export const fig93 = defineExperiment({
  id: "fig9.3",
  title: "Implicit regularisation of gradient descent",
  reproduces: "Figure 9.3 (notebook 9.2), eq. 9.8",
  description:
    "L(φ) = 1 − exp(−½φ1²e^{4φ0²}): discrete GD (α = 0.05, 100 steps) ends further right than the gradient flow; " +
    "the flow on the modified loss L + (α/4)‖∇L‖² lands near the discrete end.",
  params: v.object({
    alpha: numberParam(0.05, 1e-4, 1, "GD step α (also the α of the modified loss)"),
    steps: intParam(100, 1, 100_000, "discrete GD steps"),
    start: pointParam([-0.7, -0.75], -0.8, 0.5, "start (φ0, φ1)"),
    flowTime: numberParam(10, 0.01, 100, "integration time of the continuous paths (10 = notebook's α = 0.001 × 10 000 steps)"),
    resolution: intParam(131, 11, 301, "grid points per axis over [−0.8, 0.5] (131 = step 0.01)"),
  }),
  load: async () => (await import("../impl/fig9-3.js")).fig93,
  plots: (r: Fig93Result, p) => [
    gridFigure("loss", "a) loss with GD (discrete) and gradient flow", r.loss, "φ0", "φ1", [
      { name: `GD α = ${p.alpha}`, points: r.discrete },
      { name: "gradient flow", points: r.flow },
    ]),
    gridFigure("term", "b) implicit regulariser (α/4)‖∇L‖²", r.term, "φ0", "φ1", []),
    gridFigure("modified", "c) modified loss, flow on it vs discrete GD", r.modified, "φ0", "φ1", [
      { name: `GD α = ${p.alpha}`, points: r.discrete },
      { name: "flow on modified loss", points: r.modifiedFlow },
    ]),
  ],
});
