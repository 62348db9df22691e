/**
 * Figure 9.14: the chapter's taxonomy of regularisation methods (a Venn diagram of four aims),
 * as data: each method with its sets, the registry entries that show it and the catalog plugins
 * that implement it (marked available when present in this build).
 */
import type { Progress } from "../experiment.js";
import { listExperiments } from "../registry.js";
import { listPlugins } from "../plugins/catalog.js";

export const TAXONOMY_SETS = ["make the function smoother", "increase the data", "combine multiple models", "find wider minima"] as const;

/** CHAPTER9 §2 fig 9.14's membership table, with where each method lives here. */
export const TAXONOMY = [
  { method: "Explicit L2", sets: [0], entries: ["fig9.1", "fig9.2"], plugins: ["l2", "weightDecay"] },
  { method: "Early stopping", sets: [0], entries: ["fig9.6"], plugins: ["earlyStopping"] },
  { method: "Noise on inputs", sets: [0, 1], entries: ["fig9.10"], plugins: ["inputNoise"] },
  { method: "Noise on outputs (label smoothing)", sets: [0, 1], entries: [], plugins: ["labelSmoothing", "disturbLabel"] },
  { method: "Data augmentation", sets: [1], entries: ["fig9.13", "notebook9.5"], plugins: ["augmentation"] },
  { method: "Multi-task learning", sets: [1], entries: ["fig9.12"], plugins: [] },
  { method: "Transfer learning", sets: [1], entries: ["fig9.12"], plugins: [] },
  { method: "Ensembling", sets: [0, 2], entries: ["fig9.7", "notebook9.3"], plugins: [] },
  { method: "Bayesian approach", sets: [0, 2], entries: ["fig9.11"], plugins: [] },
  { method: "Dropout", sets: [0, 2, 3], entries: ["fig9.9"], plugins: ["dropout"] },
  { method: "Implicit regularization", sets: [3], entries: ["fig9.3", "fig9.4", "fig9.5"], plugins: ["modifiedLoss", "sam", "flooding"] },
  { method: "Noise on weights", sets: [3], entries: [], plugins: ["weightNoise"] },
] as const;

export interface TaxonomyRow {
  readonly method: string;
  readonly sets: number[];
  /** Registry ids showing the method that exist in this build. */
  readonly entries: string[];
  /** Catalog plugins implementing it that exist in this build. */
  readonly plugins: string[];
}

export interface Fig914Result {
  readonly sets: string[];
  readonly methods: TaxonomyRow[];
}

export function* fig914(): Generator<Progress, Fig914Result, void> {
  const ids = new Set(listExperiments().map((e) => e.id));
  const plugins = new Set(listPlugins().map((p) => p.name));
  yield { fraction: 1 };
  return {
    sets: [...TAXONOMY_SETS],
    methods: TAXONOMY.map((t) => ({
      method: t.method, sets: [...t.sets],
      entries: t.entries.filter((e) => ids.has(e)),
      plugins: t.plugins.filter((p) => plugins.has(p)),
    })),
  };
}
