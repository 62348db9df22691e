import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { intParam, numberParam } from "../params.js";
import type { Fig94Result } from "../impl/fig9-4.js";
import { gridFigure } from "./grid-figure.js";

/** Figure 9.4: implicit regularisation of SGD on the Gabor (mean) loss. */
export const fig94 = defineExperiment({
  id: "fig9.4",
  title: "Implicit regularisation of SGD",
  reproduces: "Figure 9.4, eqs. 9.8–9.9",
  description:
    "Mean Gabor loss L, the GD term (α/4)‖∇L‖², the SGD term (expected batch-gradient variance for batches of b of the 30 points) " +
    "and the modified loss with its minimum. α and b are not given by the book (CHAPTER9 §5): α = 10, b = 5 are our choice.",
  params: v.object({
    alpha: numberParam(10, 0, 1000, "learning rate α of the modified-loss terms"),
    batchSize: intParam(5, 1, 30, "SGD batch size b (30 = full batch: no SGD term)"),
    resolution: intParam(101, 11, 201, "grid points per axis over the fig 9.1 window (101 = step 0.2)"),
  }),
  load: async () => (await import("../impl/fig9-4.js")).fig94,
  plots: (r: Fig94Result, p) => [
    gridFigure("loss", "a) mean loss L", r.loss, "offset φ0", "frequency φ1", [], [{ name: "minimum", points: [r.lossMin.phi] }]),
    gridFigure("gd-term", `b) GD term (α/4)‖∇L‖², α = ${p.alpha}`, r.gdTerm, "offset φ0", "frequency φ1", []),
    gridFigure("sgd-term", `c) SGD term, batch ${p.batchSize}`, r.sgdTerm, "offset φ0", "frequency φ1", []),
    gridFigure("modified", "d) modified loss", r.modified, "offset φ0", "frequency φ1", [], [
      { name: "minimum of L", points: [r.lossMin.phi] }, { name: "minimum of the modified loss", points: [r.modifiedMin.phi] },
    ]),
  ],
});
