import { type PRNGKey, Tensor, foldIn, permutation } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { positiveInt } from "./check.js";
import { safeText } from "./train-error.js";

/** Number of batches in an epoch: one full batch when batchSize ≥ n; the last short batch is kept unless dropLast. */
export function batchesPerEpoch(n: number, batchSize: number, dropLast: boolean): number {
  if (!Number.isInteger(n) || n < 0) throw new FitOptionsError("n", `must be an integer ≥ 0, got ${safeText(n)}`, "batchesPerEpoch");
  positiveInt("batchSize", batchSize);
  if (batchSize >= n) return 1;
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * The example order of an epoch: a permutation drawn from foldIn(dataKey, epoch) when shuffling
 * (stateless, so resuming at any epoch reproduces it), else 0…n−1. Full batches keep the data order.
 */
export function epochOrder(dataKey: PRNGKey, epoch: number, n: number, batchSize: number, shuffle: boolean, identity: Int32Array): Int32Array {
  if (!shuffle || batchSize >= n) return identity;
  return permutation(foldIn(dataKey, epoch), n).data as Int32Array;
}

/**
 * Rows `indices` of `t` (axis 0) as a new tensor: what `take(t, indices, 0)` gives, without an op's
 * checks and graph (the indices come from the epoch order, so they are in range). A batch is a
 * constant input of the step; this is per-step overhead on the hot path.
 */
export function gatherRows(t: Tensor, indices: Int32Array): Tensor {
  const row = t.shape.length === 1 ? 1 : t.size / t.shape[0]!;
  const src = t.data;
  const out = new (src.constructor as new (n: number) => typeof src)(indices.length * row);
  // element loops, not subarray + set: a view object per row was a third of the gather's time
  for (let i = 0, o = 0; i < indices.length; i++) {
    const s = indices[i]! * row;
    for (let k = 0; k < row; k++) out[o++] = src[s + k]!;
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}
