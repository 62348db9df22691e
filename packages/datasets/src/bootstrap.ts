import { DatasetArgumentError, assertInteger } from "./errors.js";
import { RandomState } from "./random-state.js";
import { checkSplit, takeRows, type Labels, type Split } from "./split.js";

/** A generator to continue, or a legacy seed for a fresh `RandomState(seed)`. */
export type RngOrSeed = RandomState | number;

function toRng(rng: RngOrSeed): RandomState {
  if (rng instanceof RandomState) return rng;
  if (typeof rng === "number") return new RandomState(rng);
  throw new DatasetArgumentError("rng", "must be a RandomState or an integer seed");
}

/**
 * Bootstrap row indices: `size` (default n) draws with replacement, exactly NumPy legacy
 * `choice(n, size, replace=True)` — so a notebook's bagging indices are reproduced by continuing its stream.
 */
export function bootstrapIndices(n: number, rng: RngOrSeed, size: number = n): Int32Array {
  assertInteger("n", n, 1, 2 ** 31 - 1);
  assertInteger("size", size, 0, 2 ** 31 - 1);
  return toRng(rng).choice(n, size, { replace: true });
}

/** How often each of `0..n−1` occurs in `indices` (a bootstrap sample's multiplicities; they sum to its size). */
export function multiplicities(indices: ArrayLike<number>, n: number): Int32Array {
  assertInteger("n", n, 0, 2 ** 31 - 1);
  const counts = new Int32Array(n);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw new DatasetArgumentError("indices", `entry ${String(r)} is out of range [0, ${n})`);
    }
    counts[r]! += 1;
  }
  return counts;
}

/** A bootstrap resample of a split together with its indices and the rows it left out ("out of bag"). */
export interface BootstrapSample<Y extends Labels> {
  readonly sample: Split<Y>;
  readonly indices: Int32Array;
  readonly outOfBag: Int32Array;
}

/** Resamples a split's rows with replacement (see {@link bootstrapIndices}). */
export function bootstrapSplit<Y extends Labels>(split: Split<Y>, rng: RngOrSeed, size?: number): BootstrapSample<Y> {
  checkSplit("split", split);
  const indices = bootstrapIndices(split.n, rng, size ?? split.n);
  const counts = multiplicities(indices, split.n);
  const outOfBag: number[] = [];
  for (let i = 0; i < split.n; i++) if (counts[i] === 0) outOfBag.push(i);
  return { sample: takeRows(split, indices), indices, outOfBag: Int32Array.from(outOfBag) };
}
