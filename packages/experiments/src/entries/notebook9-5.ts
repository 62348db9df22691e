import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import type { Notebook95Params, Notebook95Result } from "../impl/notebook9-5.js";

const int = (min: number, max: number, dflt: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)), dflt);

/** Notebook 9.5: MNIST-1D MLP with and without 4000 shifted-and-scaled copies of the training set. */
export const notebook95 = defineExperiment({
  id: "notebook9.5",
  title: "Data augmentation on MNIST-1D (notebook 9.5)",
  reproduces: "Notebook 9.5 (the computable 1-D analogue of figure 9.13)",
  description:
    "MLP 40-200-200-10 trained with SGD (lr 0.05, momentum 0.9, batch 100, 50 epochs) on MNIST-1D, once on the 4000 training signals and once with 4000 extra copies, each circularly shifted and scaled by U[0.8, 1.2]. Returns the per-epoch test error of both.",
  params: v.object({
    seed: int(0, 2 ** 32 - 1, 0),
    epochs: int(1, 500, 50),
    extra: int(0, 100_000, 4000),
    learningRate: v.optional(v.pipe(v.number(), v.minValue(1e-6), v.maxValue(10)), 0.05),
  }),
  acceptsPlugins: true,
  load: async () => {
    const { runNotebook95 } = await import("../impl/notebook9-5.js");
    return (p: Notebook95Params, ctx) => runNotebook95(p, ctx);
  },
  plots: (r: Notebook95Result) => {
    const epochs = r.baseline.testError.map((_, i) => i + 1);
    return [
      {
        name: "test-error",
        title: "Notebook 9.5: test error with and without augmentation",
        x: { label: "epoch" },
        y: { label: "test error (%)" },
        marks: [
          { type: "line", x: epochs, y: r.baseline.testError.map((e) => 100 * e), series: "baseline" },
          { type: "line", x: epochs, y: r.augmented.testError.map((e) => 100 * e), series: "augmented" },
        ],
      },
    ];
  },
});
