import { DatasetArgumentError, describe } from "./errors.js";
import { checkSplit, type Labels, type Split } from "./split.js";

/** How statistics are pooled: per input feature (column) or over all values (upstream MNIST-1D style). */
export type StandardizeMode = "feature" | "global";

/** Statistics fitted on a training split: one mean/std per feature (`"feature"`) or a single pair (`"global"`). */
export interface Standardizer {
  readonly mode: StandardizeMode;
  /** Length `dim` for `"feature"`, 1 for `"global"`. */
  readonly mean: Float64Array;
  /** Population std (ddof 0); a zero std is stored as 1 so constant features map to 0 instead of NaN. */
  readonly std: Float64Array;
  /** Feature count the statistics were fitted on. */
  readonly dim: number;
}

/** Options of {@link fitStandardizer} and {@link standardize}. */
export interface StandardizeOptions {
  /** `"feature"` (default) or `"global"`. */
  readonly mode?: StandardizeMode;
}

/** Fits means and population standard deviations on `split.x` (two-pass, so no cancellation). */
export function fitStandardizer(split: Split<Labels>, options: StandardizeOptions = {}): Standardizer {
  checkSplit("split", split);
  const mode = options.mode ?? "feature";
  if (mode !== "feature" && mode !== "global") {
    throw new DatasetArgumentError("mode", `must be "feature" or "global", got ${describe(mode)}`);
  }
  if (split.n === 0) throw new DatasetArgumentError("split", "cannot fit statistics on an empty split");
  const { x, n, dim } = split;
  const groups = mode === "feature" ? dim : 1;
  const count = mode === "feature" ? n : n * dim;
  const mean = new Float64Array(groups);
  const std = new Float64Array(groups);
  const col = (i: number) => (mode === "feature" ? i % dim : 0);
  for (let i = 0; i < x.length; i++) mean[col(i)]! += x[i]!;
  for (let g = 0; g < groups; g++) mean[g] = mean[g]! / count;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean[col(i)]!;
    std[col(i)]! += d * d;
  }
  for (let g = 0; g < groups; g++) {
    const s = Math.sqrt(std[g]! / count);
    std[g] = s > 0 ? s : 1;
  }
  return { mode, mean, std, dim };
}

/** Applies fitted statistics to a split, returning a new split with `(x − mean) / std`. */
export function applyStandardizer<Y extends Labels>(standardizer: Standardizer, split: Split<Y>): Split<Y> {
  checkSplit("split", split);
  if (split.dim !== standardizer.dim) {
    throw new DatasetArgumentError("split", `has dim ${split.dim}, the standardizer was fitted on ${standardizer.dim}`);
  }
  const { mean, std, mode } = standardizer;
  const x = new Float64Array(split.x.length);
  for (let i = 0; i < x.length; i++) {
    const g = mode === "feature" ? i % split.dim : 0;
    x[i] = (split.x[i]! - mean[g]!) / std[g]!;
  }
  return { x, y: split.y, n: split.n, dim: split.dim };
}

/**
 * Fits on `splits.train` and applies the same statistics to every split given, so no test
 * information leaks into training. Returns the standardised splits and the fitted statistics.
 */
export function standardize<S extends { readonly train: Split<Labels> } & Record<string, Split<Labels>>>(
  splits: S,
  options: StandardizeOptions = {},
): { readonly splits: S; readonly standardizer: Standardizer } {
  if (splits === null || typeof splits !== "object" || splits.train === undefined) {
    throw new DatasetArgumentError("splits", "must contain a train split");
  }
  const standardizer = fitStandardizer(splits.train, options);
  const out: Record<string, Split<Labels>> = {};
  for (const [name, split] of Object.entries(splits)) out[name] = applyStandardizer(standardizer, split);
  return { splits: out as S, standardizer };
}
