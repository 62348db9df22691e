import * as v from "valibot";
import { defineExperiment, type PlotFigure } from "../experiment.js";
import type { Fig98Result } from "../impl/fig9-8.js";

const int = (def: number, min: number, max: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)), def);
const num = (def: number, min: number, max: number) => v.optional(v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max)), def);

/** Figure 9.8: dropout — random masks on the schematic network, and weight scaling vs Monte Carlo dropout. */
export const fig98 = defineExperiment({
  id: "fig9.8",
  title: "Dropout: random masks, weight scaling and Monte Carlo dropout",
  reproduces: "Figure 9.8 (§9.3.3)",
  description:
    "Bernoulli(1 − p) keep masks for the hidden units of the book's 3-4-4-1 schematic (one row per frame), and an MLP 1-W-W-1 " +
    "trained full batch with dropout (rate p, weight-scaling inference) on the seed-1 toy data: its prediction with the " +
    "weight-scaling rule against the Monte Carlo dropout mean and ±2 sd over T passes.",
  params: v.object({
    rate: num(0.5, 0, 0.9),
    width: int(64, 4, 512),
    steps: int(2000, 0, 100_000),
    lr: num(0.01, 1e-5, 1),
    samples: int(50, 1, 1000),
    frames: int(12, 1, 1000),
    seed: int(0, 0, 2 ** 31 - 1),
    dataSeed: int(1, 0, 2 ** 32 - 1),
  }),
  load: async () => (await import("../impl/fig9-8.js")).fig98,
  plots: (r: Fig98Result): PlotFigure[] => [{
    name: "predictions", title: "Weight scaling vs Monte Carlo dropout (±2 sd)",
    x: { label: "x", domain: [0, 1] }, y: { label: "y", domain: [-1, 4] },
    marks: [
      { type: "band", x: r.grid, y1: r.mcMean.map((m, i) => m - 2 * r.mcSd[i]!), y2: r.mcMean.map((m, i) => m + 2 * r.mcSd[i]!), series: "MC dropout ±2 sd" },
      { type: "line", x: r.grid, y: r.truth, series: "true function", dash: true },
      { type: "line", x: r.grid, y: r.mcMean, series: "MC dropout mean" },
      { type: "line", x: r.grid, y: r.weightScaling, series: "weight scaling" },
      { type: "dot", x: r.data.x, y: r.data.y, series: "data" },
    ],
  }],
});
