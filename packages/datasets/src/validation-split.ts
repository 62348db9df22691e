import { DatasetArgumentError, assertFinite, assertInteger } from "./errors.js";
import { RandomState } from "./random-state.js";
import { checkSplit, takeRows, type Labels, type Split } from "./split.js";

/** Options of {@link validationSplit}: give exactly one of `fraction` or `size`. */
export interface ValidationSplitOptions {
  /** Share of rows held out; the count is `round(fraction · n)`. */
  readonly fraction?: number;
  /** Exact number of rows held out. */
  readonly size?: number;
  /** Shuffle first with NumPy legacy `RandomState(seed).permutation(n)`; without it the last rows are held out. */
  readonly seed?: number;
}

/** A train split, the held-out validation split, and the source rows of each. */
export interface ValidationSplitResult<Y extends Labels> {
  readonly train: Split<Y>;
  readonly validation: Split<Y>;
  readonly trainIndices: Int32Array;
  readonly validationIndices: Int32Array;
}

/**
 * Holds out a validation set (for early stopping and model selection). Row order is the identity,
 * or `RandomState(seed).permutation(n)` when a seed is given; the last `size` rows of that order
 * become the validation set, the rest (in that order) the train set.
 */
export function validationSplit<Y extends Labels>(
  split: Split<Y>,
  options: ValidationSplitOptions,
): ValidationSplitResult<Y> {
  checkSplit("split", split);
  const { n } = split;
  const { fraction, size, seed } = options;
  if ((fraction === undefined) === (size === undefined)) {
    throw new DatasetArgumentError("fraction", "give exactly one of fraction or size");
  }
  let k: number;
  if (fraction !== undefined) {
    assertFinite("fraction", fraction);
    if (!(fraction > 0 && fraction < 1)) {
      throw new DatasetArgumentError("fraction", `must be in (0, 1), got ${fraction}`);
    }
    k = Math.round(fraction * n);
    if (k < 1 || k > n - 1) {
      throw new DatasetArgumentError("fraction", `leaves an empty train or validation split for n = ${n}`);
    }
  } else {
    k = size!;
    assertInteger("size", k, 1, Math.max(1, n - 1));
    if (k > n - 1) throw new DatasetArgumentError("size", `must leave at least one training row (n = ${n})`);
  }
  let order: Int32Array;
  if (seed === undefined) {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  } else {
    assertInteger("seed", seed, 0, 0xffffffff);
    order = new RandomState(seed).permutation(n);
  }
  const trainIndices = order.slice(0, n - k);
  const validationIndices = order.slice(n - k);
  return {
    train: takeRows(split, trainIndices),
    validation: takeRows(split, validationIndices),
    trainIndices,
    validationIndices,
  };
}
