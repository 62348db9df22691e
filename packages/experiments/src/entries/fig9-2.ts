import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { enumParam, intParam, numberParam } from "../params.js";
import type { Fig92Result } from "../impl/fig9-2.js";
import { curveFigure } from "./figures.js";

/** Figure 9.2: ridge (L2) fits of the 14-unit simplified network for λ = 0 … 0.1 and a free λ. */
export const fig92 = defineExperiment({
  id: "fig9.2",
  title: "L2 regularisation of the simplified network",
  reproduces: "Figure 9.2, eq. 9.5",
  description:
    "Closed-form ridge fits φ = (AᵀA + λ·diag(0,1,…,1))⁻¹Aᵀy of the 14-unit network of fig 8.4 for the book's λ " +
    "∈ {0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1} plus a free λ, on the book's digitised points or the notebooks' generator.",
  params: v.object({
    data: enumParam(["book", "seed"], "book", "the book's digitised 15 points, or the notebooks' generator with `seed`"),
    seed: intParam(1, 0, 2 ** 31 - 1, "seed of the generated data (1 = the notebooks' data)"),
    lambda: numberParam(3e-4, 0, 100, "λ of the free panel"),
    K: intParam(14, 1, 200, "hidden units of the simplified network"),
  }),
  load: async () => (await import("../impl/fig9-2.js")).fig92,
  plots: (r: Fig92Result, p) => [
    curveFigure("fits", "L2-regularised fits of the simplified network", r, [
      ...r.fits.map((f) => ({ name: `λ = ${f.lambda}`, y: f.curve })),
      { name: `λ = ${p.lambda} (free)`, y: r.free.curve, dash: true },
    ]),
  ],
});
