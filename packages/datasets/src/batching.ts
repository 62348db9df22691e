import { DatasetArgumentError, assertInteger, describe } from "./errors.js";
import { RandomState } from "./random-state.js";
import { checkSplit, takeRows, type Labels, type Split } from "./split.js";

/** Options of {@link epochBatches} and {@link iterateBatches}. */
export interface BatchOptions {
  /** Rows per batch. */
  readonly batchSize: number;
  /** Reshuffle every epoch (default false: rows in stored order). */
  readonly shuffle?: boolean;
  /** Seed of the per-epoch shuffle, an integer in [0, 2³² − 1] (default 0). */
  readonly seed?: number;
  /** Drop a final batch smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
}

/** One mini-batch: the gathered rows plus where they came from. */
export interface Batch<Y extends Labels = Int32Array> extends Split<Y> {
  /** Source row of each batch row. */
  readonly indices: Int32Array;
  /** Epoch this batch belongs to. */
  readonly epoch: number;
  /** Position of the batch within its epoch. */
  readonly batch: number;
}

/**
 * Row order of one epoch. Unshuffled it is `0..n−1`; shuffled it is NumPy's
 * `RandomState([seed, epoch]).permutation(n)`, so any epoch can be produced directly, on any machine.
 */
export function epochOrder(n: number, epoch: number, options: Pick<BatchOptions, "shuffle" | "seed"> = {}): Int32Array {
  assertInteger("n", n, 0, 2 ** 31 - 1);
  assertInteger("epoch", epoch, 0, 0xffffffff);
  const shuffle = options.shuffle ?? false;
  if (typeof shuffle !== "boolean") throw new DatasetArgumentError("shuffle", `must be a boolean, got ${describe(shuffle)}`);
  const seed = options.seed ?? 0;
  assertInteger("seed", seed, 0, 0xffffffff);
  if (shuffle) return new RandomState([seed, epoch]).permutation(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Splits one epoch's row order into index batches of `batchSize` (the last may be shorter unless `dropLast`). */
export function epochBatches(n: number, epoch: number, options: BatchOptions): Int32Array[] {
  if (options === null || typeof options !== "object") throw new DatasetArgumentError("options", `must be an object with a batchSize, got ${describe(options)}`);
  assertInteger("batchSize", options.batchSize, 1, 2 ** 31 - 1);
  const order = epochOrder(n, epoch, options);
  const dropLast = options.dropLast ?? false;
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += options.batchSize) {
    const end = Math.min(start + options.batchSize, n);
    if (dropLast && end - start < options.batchSize) break;
    batches.push(order.slice(start, end));
  }
  return batches;
}

/** Yields the batches of one epoch of `split` as gathered copies (see {@link epochBatches} for the order). */
export function* iterateBatches<Y extends Labels>(
  split: Split<Y>,
  epoch: number,
  options: BatchOptions,
): Generator<Batch<Y>, void, undefined> {
  checkSplit("split", split);
  const batches = epochBatches(split.n, epoch, options);
  for (const [batch, indices] of batches.entries()) {
    yield { ...takeRows(split, indices), indices, epoch, batch };
  }
}

/**
 * The mnist1d notebooks' sequential batching: step s takes rows `[b, min(b + batchSize, n))` with
 * `b = (s·batchSize) mod n`, never reshuffling. Returns that half-open row range.
 */
export function notebookBatchRange(step: number, n: number, batchSize: number): { start: number; end: number } {
  assertInteger("step", step, 0);
  assertInteger("n", n, 1, 2 ** 31 - 1);
  assertInteger("batchSize", batchSize, 1, 2 ** 31 - 1);
  // step·batchSize can exceed 2^53 on long runs; reduce first, and fall back to BigInt if still too large.
  const product = (step % n) * (batchSize % n);
  const start = Number.isSafeInteger(product)
    ? product % n
    : Number((BigInt(step % n) * BigInt(batchSize % n)) % BigInt(n));
  return { start, end: Math.min(start + batchSize, n) };
}

/** The rows of step `step` under {@link notebookBatchRange}, as a batch (epoch = number of completed passes). */
export function notebookBatch<Y extends Labels>(split: Split<Y>, step: number, batchSize: number): Batch<Y> {
  checkSplit("split", split);
  const { start, end } = notebookBatchRange(step, split.n, batchSize);
  const indices = new Int32Array(end - start);
  for (let i = 0; i < indices.length; i++) indices[i] = start + i;
  return {
    ...takeRows(split, indices),
    indices,
    epoch: Math.floor((step * batchSize) / split.n),
    batch: step,
  };
}
