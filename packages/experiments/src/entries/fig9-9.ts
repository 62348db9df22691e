import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { intParam, numberParam } from "../params.js";
import type { Fig99Result } from "../impl/fig9-9.js";
import { curveFigure } from "./figures.js";

/** Figure 9.9: dropout removes a kink that costs nothing on the data. */
export const fig99 = defineExperiment({
  id: "fig9.9",
  title: "Dropout removes a kink",
  reproduces: "Figure 9.9",
  description:
    "Least squares plus a bump a·(e7 − 2e8 + e9) in the data gap (a kinked fit), the same with unit 8 off, and 2000 " +
    "full-batch GD iterations with dropout of one of units 7/8/9 (weight-scaling at inference): the kink is gone.",
  acceptsPlugins: true,
  params: v.object({
    amplitude: numberParam(25, 0, 1000, "amplitude a of the bump a·(e7 − 2e8 + e9) (peak a/14)"),
    learningRate: numberParam(0.01, 1e-6, 0.1, "learning rate of the dropout iterations (not in the book; 0.005–0.02 work)"),
    iterations: intParam(2000, 1, 1_000_000, "dropout iterations"),
    seed: intParam(0, 0, 2 ** 31 - 1, "seed of the dropout masks"),
  }),
  load: async () => (await import("../impl/fig9-9.js")).fig99,
  plots: (r: Fig99Result) => [
    curveFigure("dropout", "a) kinked fit, b) unit 8 off, c) after dropout training", r, [
      { name: "a) original (kinked)", y: r.original.curve },
      { name: "b) hidden unit 8 off", y: r.unit8Off.curve, dash: true },
      { name: "c) after dropout (weight scaling)", y: r.dropout.curve },
    ]),
  ],
});
