/**
 * Figure 9.14: the chapter's taxonomy of regularisation methods (a Venn diagram of four aims),
 * as data: each method with its sets, the registry entries that show it and the catalog plugins
 * that implement it. Static data (importing the registry here would close an import circle); the
 * test checks every id and plugin named here exists.
 */
import type { Progress } from "../experiment.js";

export const TAXONOMY_SETS = ["make the function smoother", "increase the data", "combine multiple models", "find wider minima"] as const;

/** CHAPTER9 §2 fig 9.14's membership table, with where each method lives here. */
export const TAXONOMY = [
  { method: "Explicit L2", sets: [0], entries: ["fig9.1", "fig9.2"], plugins: ["l2", "weightDecay"] },
  { method: "Early stopping", sets: [0], entries: ["fig9.6"], plugins: ["earlyStopping"] },
  { method: "Noise on inputs", sets: [0, 1], entries: ["fig9.10"], plugins: ["inputNoise"] },
  { method: "Noise on outputs (label smoothing)", sets: [0, 1], entries: [], plugins: ["labelSmoothing", "disturbLabel"] },
  { method: "Data augmentation", sets: [1], entries: ["fig9.13", "notebook9.5"], plugins: ["augment"] },
  { method: "Multi-task learning", sets: [1], entries: ["fig9.12"], plugins: ["pcgrad", "uncertaintyWeighting", "gradNorm"] },
  { method: "Transfer learning", sets: [1], entries: ["fig9.12"], plugins: ["pretextTask"] },
  { method: "Ensembling", sets: [0, 2], entries: ["fig9.7", "notebook9.3"], plugins: ["swa", "ema", "snapshot", "fge"] },
  { method: "Bayesian approach", sets: [0, 2], entries: ["fig9.11", "mnist1d-uncertainty"], plugins: ["sgld", "sghmc", "posteriorSamples", "gaussianPrior"] },
  { method: "Dropout", sets: [0, 2, 3], entries: ["fig9.8", "fig9.9"], plugins: ["dropout", "dropConnect", "gaussianDropout"] },
  { method: "Implicit regularization", sets: [3], entries: ["fig9.3", "fig9.4", "fig9.5"], plugins: ["modifiedLoss", "sam", "flooding"] },
  { method: "Noise on weights", sets: [3], entries: [], plugins: ["weightNoise"] },
] as const;

export interface TaxonomyRow {
  readonly method: string;
  readonly sets: number[];
  /** Registry ids showing the method. */
  readonly entries: string[];
  /** Catalog plugins implementing it. */
  readonly plugins: string[];
}

export interface Fig914Result {
  readonly sets: string[];
  readonly methods: TaxonomyRow[];
}

export function* fig914(): Generator<Progress, Fig914Result, void> {
  yield { fraction: 1 };
  return {
    sets: [...TAXONOMY_SETS],
    methods: TAXONOMY.map((t) => ({ method: t.method, sets: [...t.sets], entries: [...t.entries], plugins: [...t.plugins] })),
  };
}
