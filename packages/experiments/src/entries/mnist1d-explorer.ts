import * as v from "valibot";
import { defineExperiment, type PlotFigure } from "../experiment.js";
import { intParam } from "../params.js";
import type { Mnist1dResult } from "../impl/mnist1d-explorer.js";

/** The MNIST-1D generator step by step, and samples of every class. */
export const mnist1dExplorer = defineExperiment({
  id: "mnist1d-explorer",
  title: "MNIST-1D data explorer",
  reproduces: "MNIST-1D (CHAPTER9 §1.4), the data of figure 9.5 and notebook 9.5",
  description: "The ten templates, the generator's pipeline traced for one sample (pad, stretch, scale, shift, noise, shear, downsample) and perClass samples of each class.",
  params: v.object({
    label: intParam(3, 0, 9, "digit class of the sample traced step by step"),
    seed: intParam(42, 0, 2 ** 32 - 1, "legacy-NumPy seed of the traced sample"),
    perClass: intParam(5, 1, 50, "samples per class in the grid"),
    gridSeed: intParam(42, 0, 2 ** 32 - 1, "seed of the dataset the grid is drawn from"),
  }),
  load: async () => (await import("../impl/mnist1d-explorer.js")).mnist1dExplorer,
  plots: (r: Mnist1dResult, p): PlotFigure[] => [
    {
      name: "templates", title: "The ten MNIST-1D templates", x: { label: "position" }, y: { label: "value" },
      marks: r.templates.map((t, c) => ({ type: "line" as const, x: t.map((_, i) => i), y: t, series: `class ${c}` })),
    },
    {
      name: "pipeline", title: `One sample of class ${p.label}, stage by stage`, x: { label: "position" }, y: { label: "value" },
      marks: r.steps.filter((s) => s.values.length === 72 || s.key === "downsampled")
        .map((s) => ({ type: "line" as const, x: s.values.map((_, i) => (s.key === "downsampled" ? (i * 71) / 39 : i)), y: s.values, series: s.key })),
    },
  ],
});
