import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { enumParam, intParam, numberParam } from "../params.js";
import type { Fig96Result } from "../impl/fig9-6.js";
import { curveFigure, lossFigure } from "./figures.js";

/** Figure 9.6: early stopping of the simplified network trained by SGD. */
export const fig96 = defineExperiment({
  id: "fig9.6",
  title: "Early stopping",
  reproduces: "Figure 9.6",
  description:
    "The 14-unit network trained by SGD (batch 5, α = 0.05, batch SSE) on 15 points: snapshots at 0, 1k, 5k, 10k, 50k, 200k " +
    "iterations (book losses 32.24, 1.64, 1.10, 0.80, 0.36, 0.16); optim's earlyStopping on 15 held-out points restores the best.",
  acceptsPlugins: true,
  params: v.object({
    iterations: intParam(200_000, 1, 2_000_000, "iteration budget (200 000 reproduces all six panels)"),
    learningRate: numberParam(0.05, 1e-6, 1, "SGD learning rate α"),
    batchSize: intParam(5, 1, 15, "SGD batch size"),
    seed: intParam(37, 0, 2 ** 31 - 1, "seed of the initialisation ω ~ N(0, 0.5²) and of the batch order"),
    data: enumParam(["book", "seed"], "book", "the book's digitised points, or the generator with dataSeed"),
    dataSeed: intParam(1, 0, 2 ** 31 - 1, "seed of the generated training data when data = seed"),
    valSeed: intParam(2, 0, 2 ** 31 - 1, "seed of the 15 held-out validation points"),
    evalEvery: intParam(250, 1, 100_000, "validate (and record the curves) every this many iterations"),
  }),
  load: async () => (await import("../impl/fig9-6.js")).fig96,
  plots: (r: Fig96Result) => [
    curveFigure("snapshots", "Fits during training (snapshots) and the early-stopped model", r, [
      ...r.snapshots.map((s) => ({ name: `${s.step} it., SSE ${s.trainLoss.toFixed(2)}`, y: s.curve })),
      { name: `early stopped (${r.best.step} it.)`, y: r.best.curve, dash: true },
    ]),
    lossFigure("loss", "Training and validation SSE", "iteration", "SSE", [
      { name: "train", x: r.curves.steps, y: r.curves.train }, { name: "validation", x: r.curves.steps, y: r.curves.val },
    ], "log"),
  ],
});
