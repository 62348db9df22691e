import * as v from "valibot";
import { defineExperiment, type PlotFigure } from "../experiment.js";
import type { Fig911Result } from "../impl/fig9-11.js";

const variance = (def: number) => v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(1e6)), def);

/**
 * Figure 9.11: the exact Bayesian posterior of the 14-hidden-unit "simplified network" (fixed ReLU
 * joints at k/K, learned output weights and bias) with prior φ ~ N(0, σ_p² I).
 */
export const fig911 = defineExperiment({
  id: "fig9.11",
  title: "Bayesian approach: posterior samples and predictive band",
  reproduces: "Figure 9.11 (notebook 9.4)",
  description:
    "Closed-form posterior of linear-Gaussian regression on the fixed ReLU features of the §1.2 network. Returns the posterior " +
    "predictive mean and the function sd (without σ²) at the points `at`, the band with σ², posterior samples (Cholesky) and the log evidence.",
  params: v.object({
    /** Training points; default the chapter's seed-1 data (CHAPTER9 §1.1, 6 decimals). */
    data: v.optional(v.object({ x: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.minLength(1)), y: v.array(v.pipe(v.number(), v.finite())) })),
    hiddenUnits: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)), 14),
    noiseVariance: variance(0.09),
    priorVariance: variance(1000),
    /** Where to evaluate the predictive (default 100 evenly spaced points of [0, 1]). */
    at: v.optional(v.pipe(v.array(v.pipe(v.number(), v.finite())), v.minLength(1))),
    /** Posterior samples to draw (panels a–c show two). */
    samples: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 2),
    seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)), 0),
  }),
  load: async () => (await import("../impl/fig9-11.js")).runFig911,
  plots: (r: Fig911Result): PlotFigure[] => [
    {
      name: "samples", title: `Posterior samples (σ_p² = ${r.priorVariance})`,
      x: { label: "x", domain: [0, 1] }, y: { label: "y", domain: [-1, 4] },
      marks: [
        ...r.samples.map((s, i) => ({ type: "line" as const, x: r.at, y: s, series: `sample ${i + 1}` })),
        { type: "dot", x: r.data.x, y: r.data.y, series: "data" },
      ],
    },
    {
      name: "predictive", title: `Posterior predictive ±2 sd (σ_p² = ${r.priorVariance})`,
      x: { label: "x", domain: [0, 1] }, y: { label: "y", domain: [-1, 4] },
      marks: [
        { type: "band", x: r.at, y1: r.mean.map((m, i) => m - 2 * r.sdWithNoise[i]!), y2: r.mean.map((m, i) => m + 2 * r.sdWithNoise[i]!), series: "±2 sd with σ²" },
        { type: "band", x: r.at, y1: r.mean.map((m, i) => m - 2 * r.sd[i]!), y2: r.mean.map((m, i) => m + 2 * r.sd[i]!), series: "±2 sd (function)" },
        { type: "line", x: r.at, y: r.mean, series: "mean" },
        { type: "dot", x: r.data.x, y: r.data.y, series: "data" },
      ],
    },
  ],
});
