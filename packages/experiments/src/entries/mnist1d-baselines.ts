import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import type { Mnist1dBaselinesParams, Mnist1dBaselinesResult } from "../impl/mnist1d-baselines.js";

const MODELS = ["logistic", "mlp", "cnn", "gru"] as const;
const DATA = ["normal", "shuffled"] as const;

/** The MNIST-1D baselines table (logistic, MLP, CNN, GRU; normal and feature-shuffled data). */
export const mnist1dBaselines = defineExperiment({
  id: "mnist1d-baselines",
  title: "MNIST-1D baselines: logistic, MLP, CNN, GRU",
  reproduces: "MNIST-1D README / notebooks' baseline table (shared/MNIST1D.md §10)",
  description:
    "The reference protocol (Adam 1e-2, batch 100 in order, 6000 steps) for logistic regression, the residual MLP 40-100-100-10, the 3-layer CNN and a bidirectional GRU (hidden 6), on the normal data and on the data with shuffled feature columns. Returns test and train accuracy per run; the GRU takes the longest by far.",
  params: v.object({
    models: v.optional(v.pipe(v.array(v.picklist(MODELS)), v.minLength(1)), [...MODELS]),
    data: v.optional(v.pipe(v.array(v.picklist(DATA)), v.minLength(1)), [...DATA]),
    steps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)), 6000),
    seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)), 42),
  }),
  acceptsPlugins: true,
  load: async () => {
    const { runMnist1dBaselines } = await import("../impl/mnist1d-baselines.js");
    return (p: Mnist1dBaselinesParams, ctx) => runMnist1dBaselines(p, ctx);
  },
  plots: (r: Mnist1dBaselinesResult) =>
    DATA.filter((d) => r.runs[d] !== undefined).map((d) => {
      const models = MODELS.filter((m) => r.runs[d]?.[m] !== undefined);
      return {
        name: `accuracy-${d}`,
        title: `MNIST-1D test accuracy (${d} data) vs the reference notebooks`,
        x: { label: "model" },
        y: { label: "test accuracy (%)", domain: [0, 100] as const },
        marks: [
          { type: "bar" as const, x: [...models], y: models.map((m) => 100 * r.runs[d]![m]!.testAccuracy), series: "ours" },
          { type: "bar" as const, x: [...models], y: models.map((m) => (r.reference[d][m][0] + r.reference[d][m][1]) / 2), series: "reference" },
        ],
      };
    }),
});
