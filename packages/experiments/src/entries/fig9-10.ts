import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { intParam, numberParam } from "../params.js";
import type { Fig910Result } from "../impl/fig9-10.js";
import { curveFigure } from "./figures.js";

/** Figure 9.10: Gaussian noise on the inputs smooths the fit. */
export const fig910 = defineExperiment({
  id: "fig9.10",
  title: "Adding noise to the inputs",
  reproduces: "Figure 9.10",
  description:
    "Inputs x + ε, ε ~ N(0, σx²) at every step (noise's inputNoise) for σx ∈ {0, 0.06, 0.1} (the book's 0, 0.6, 1.0 read in [0, 1] units) " +
    "and a free σx; K = 40 network from ω = 0, full-batch Adam 0.01, 5000 steps (the model is not in the book).",
  acceptsPlugins: true,
  params: v.object({
    sigma: numberParam(0.15, 0, 2, "σx of the fourth, free panel"),
    K: intParam(40, 1, 400, "hidden units"),
    steps: intParam(5000, 1, 1_000_000, "training steps per panel"),
    learningRate: numberParam(0.01, 1e-6, 1, "Adam learning rate"),
    seed: intParam(1, 0, 2 ** 31 - 1, "seed of the noise draws"),
  }),
  load: async () => (await import("../impl/fig9-10.js")).fig910,
  plots: (r: Fig910Result) => [
    curveFigure("fits", "Fits with Gaussian input noise σx", r, r.fits.map((f) => ({ name: `σx = ${f.sigma}`, y: f.curve }))),
  ],
});
