import * as v from "valibot";
import { type PlotFigure, type PlotMark, defineExperiment } from "../experiment.js";
import type { Notebook93Curves } from "../impl/notebook9-3.js";

/** Figure 9.7: the single fit, the bagged members (dot size = resampling multiplicity) and their mean/median. */
export const fig97 = defineExperiment({
  id: "fig9.7",
  title: "Figure 9.7: ensembling by bagging",
  reproduces: "Figure 9.7 (notebook 9.3's data and model)",
  description:
    "The notebook-9.3 recipe drawn as the book's figure: panel a the single model on all data, one panel per bootstrap member " +
    "(dot size shows how often each point was drawn; undrawn points have no dot), and the ensemble mean and median over the single fit.",
  params: v.object({
    seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)), 1),
    members: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)), 4),
  }),
  load: async () => {
    const { notebook93 } = await import("../impl/notebook9-3.js");
    return function* (p: { seed: number; members: number }): Generator<{ fraction: number }, Notebook93Curves, void> {
      const r = notebook93(p.seed, p.members);
      yield { fraction: 1 };
      return r;
    };
  },
  plots: (r) => fig97Plots(r),
});

/** The figure's panels from a fig9.7 result. */
export function fig97Plots(r: Notebook93Curves): PlotFigure[] {
  const axes = { x: { label: "x", domain: [0, 1] as const }, y: { label: "y", domain: [-1, 4] as const } };
  const truth: PlotMark = { type: "line", x: r.grid, y: r.truth, series: "true function", dash: true };
  const data: PlotMark = { type: "dot", x: r.x, y: r.y, series: "data" };
  const single: PlotMark = { type: "line", x: r.grid, y: r.single, series: "single model" };
  const figs: PlotFigure[] = [{ name: "single", title: `a) single model on all data (MSE ${r.singleMse.toFixed(4)})`, ...axes, marks: [truth, data, single] }];
  r.members.forEach((m, i) => {
    const counts = new Array<number>(r.x.length).fill(0);
    for (const j of r.indices[i]!) counts[j]!++;
    const drawn = counts.flatMap((c, j) => (c > 0 ? [j] : []));
    figs.push({
      name: `member-${i + 1}`, title: `${String.fromCharCode(98 + i)}) model ${i + 1} (MSE ${r.memberMse[i]!.toFixed(4)})`, ...axes,
      marks: [
        truth,
        { type: "dot", x: drawn.map((j) => r.x[j]!), y: drawn.map((j) => r.y[j]!), r: drawn.map((j) => counts[j]!), series: "resampled data (size = multiplicity)" },
        { type: "line", x: r.grid, y: m, series: `model ${i + 1}` },
      ],
    });
  });
  figs.push({
    name: "ensemble", title: `ensemble: mean (MSE ${r.meanMse.toFixed(4)}) and median (MSE ${r.medianMse.toFixed(4)})`, ...axes,
    marks: [truth, data, single, { type: "line", x: r.grid, y: r.mean, series: "mean" }, { type: "line", x: r.grid, y: r.median, series: "median", dash: true }],
  });
  return figs;
}
