import { type PRNGKey, foldIn, permutation } from "@regularize/core-autodiff";

/** Number of batches in an epoch: one full batch when batchSize ≥ n; the last short batch is kept unless dropLast. */
export function batchesPerEpoch(n: number, batchSize: number, dropLast: boolean): number {
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
