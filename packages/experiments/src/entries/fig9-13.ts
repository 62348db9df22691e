import * as v from "valibot";
import type { PlotFigure } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import type { Fig913Params, Fig913Result } from "../impl/fig9-13.js";

const int = (min: number, max: number, dflt: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)), dflt);

/** Figure 9.13 (data augmentation) as 1-D transforms of an MNIST-1D digit, plus notebook 9.5's comparison. */
export const fig913 = defineExperiment({
  id: "fig9.13",
  title: "Data augmentation in 1-D (figure 9.13)",
  reproduces: "Figure 9.13 (1-D analogues of its transforms) and notebook 9.5",
  description:
    "Applies each 1-D analogue of figure 9.13's image transforms (reversal for flip, shift, stretch, amplitude for colour balance, smoothing for blur, windowing for vignette, a non-linear time warp for pincushion, plus noise, cutout, mixup and cutmix) to one MNIST-1D test digit, then runs notebook 9.5: the MLP with and without 4000 shifted-and-scaled copies.",
  params: v.object({
    seed: int(0, 2 ** 32 - 1, 0),
    index: int(0, 999, 0),
    compare: v.optional(v.boolean(), true),
    epochs: int(1, 500, 50),
    extra: int(0, 100_000, 4000),
  }),
  acceptsPlugins: true,
  load: async () => {
    const { runFig913 } = await import("../impl/fig9-13.js");
    return (p: Fig913Params, ctx) => runFig913(p, ctx);
  },
  plots: (r: Fig913Result) => {
    const t = r.digit.x.map((_, j) => j);
    const figures: PlotFigure[] = r.transforms.map((tr) => ({
      name: `transform-${tr.name.replace(/[^a-zA-Z0-9-]/g, "-")}`,
      title: `${tr.name} — 1-D analogue of ${tr.analogueOf}${tr.labelPreserving ? "" : " (label may change)"}`,
      x: { label: "time step" },
      y: { label: "signal" },
      marks: [
        { type: "line", x: t, y: r.digit.x, series: `digit ${r.digit.label}`, dash: true },
        { type: "line", x: t, y: tr.x, series: tr.name },
      ],
    }));
    if (r.comparison !== undefined) {
      const epochs = r.comparison.baseline.testError.map((_, i) => i + 1);
      figures.push({
        name: "notebook9-5-test-error",
        title: "Notebook 9.5: test error with and without augmentation",
        x: { label: "epoch" },
        y: { label: "test error (%)" },
        marks: [
          { type: "line", x: epochs, y: r.comparison.baseline.testError.map((e) => 100 * e), series: "baseline" },
          { type: "line", x: epochs, y: r.comparison.augmented.testError.map((e) => 100 * e), series: "augmented" },
        ],
      });
    }
    return figures;
  },
});
