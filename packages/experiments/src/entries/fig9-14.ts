import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import type { Fig914Result } from "../impl/fig9-14.js";

/** Figure 9.14: the taxonomy of regularisation methods, with where each one lives in Regularize. */
export const fig914 = defineExperiment({
  id: "fig9.14",
  title: "Taxonomy of regularisation methods",
  reproduces: "Figure 9.14",
  description: "The chapter's four aims (smoother function, more data, combine models, wider minima) and which methods serve which, with the registry entries and plugins that implement each.",
  params: v.object({}),
  load: async () => (await import("../impl/fig9-14.js")).fig914,
  plots: (r: Fig914Result) => {
    const xs: number[] = [], ys: number[] = [];
    r.methods.forEach((m, i) => m.sets.forEach((s) => { xs.push(s); ys.push(i); }));
    return [{
      name: "taxonomy", title: "Which aim each method serves (columns: " + r.sets.map((s, i) => `${i} = ${s}`).join(", ") + ")",
      x: { label: "aim", domain: [-4, 3.5] }, y: { label: "method", domain: [r.methods.length - 0.5, -0.5] },
      marks: [
        { type: "dot", x: xs, y: ys, series: "member" },
        { type: "text", x: r.methods.map(() => -2), y: r.methods.map((_, i) => i), text: r.methods.map((m) => m.method) },
      ],
    }];
  },
});
