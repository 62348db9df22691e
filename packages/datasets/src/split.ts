import { DatasetArgumentError, assertInteger } from "./errors.js";

/** Label storage of a {@link Split}: class indices (Int32Array) or regression targets (Float64Array). */
export type Labels = Int32Array | Float64Array;

/**
 * A set of examples ready for training: `x` is row-major `[n, dim]`, `y` holds one label per row.
 * Every helper in this package returns new arrays and never mutates its inputs.
 */
export interface Split<Y extends Labels = Int32Array> {
  /** Inputs, row-major `[n, dim]`. */
  readonly x: Float64Array;
  /** One label (class index or target) per row. */
  readonly y: Y;
  /** Number of rows. */
  readonly n: number;
  /** Features per row. */
  readonly dim: number;
}

/** Builds a {@link Split} after checking that `x` holds exactly `y.length` rows of `dim` values. */
export function makeSplit<Y extends Labels>(x: Float64Array, y: Y, dim: number): Split<Y> {
  if (!(x instanceof Float64Array)) throw new DatasetArgumentError("x", "must be a Float64Array");
  if (!(y instanceof Int32Array || y instanceof Float64Array)) {
    throw new DatasetArgumentError("y", "must be an Int32Array or a Float64Array");
  }
  assertInteger("dim", dim, 1);
  if (x.length !== y.length * dim) {
    throw new DatasetArgumentError("x", `has ${x.length} values, expected y.length × dim = ${y.length * dim}`);
  }
  return { x, y, n: y.length, dim };
}

/** @internal Throws unless `split` is a consistent Split. */
export function checkSplit(name: string, split: Split<Labels>): void {
  if (split === null || typeof split !== "object") throw new DatasetArgumentError(name, "must be a Split");
  if (!(split.x instanceof Float64Array) || !(split.y instanceof Int32Array || split.y instanceof Float64Array)) {
    throw new DatasetArgumentError(name, "must have a Float64Array x and an Int32Array or Float64Array y");
  }
  if (split.n !== split.y.length || split.x.length !== split.n * split.dim) {
    throw new DatasetArgumentError(name, "n, dim, x.length and y.length are inconsistent");
  }
}

/** Gathers the given rows (repeats allowed, as in a bootstrap sample) into a new Split. */
export function takeRows<Y extends Labels>(split: Split<Y>, indices: ArrayLike<number>): Split<Y> {
  checkSplit("split", split);
  const { dim } = split;
  const m = indices.length;
  const x = new Float64Array(m * dim);
  const y = new (split.y.constructor as new (n: number) => Y)(m);
  for (let i = 0; i < m; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= split.n) {
      throw new DatasetArgumentError("indices", `row ${String(r)} is out of range [0, ${split.n})`);
    }
    x.set(split.x.subarray(r * dim, (r + 1) * dim), i * dim);
    y[i] = split.y[r]!;
  }
  return { x, y, n: m, dim };
}

/** Stacks splits with the same `dim` and label type row-wise (e.g. a train set plus augmented copies). */
export function concatSplits<Y extends Labels>(...splits: readonly Split<Y>[]): Split<Y> {
  if (splits.length === 0) throw new DatasetArgumentError("splits", "needs at least one split");
  const first = splits[0]!;
  let n = 0;
  for (const [i, s] of splits.entries()) {
    checkSplit(`splits[${i}]`, s);
    if (s.dim !== first.dim || s.y.constructor !== first.y.constructor) {
      throw new DatasetArgumentError(`splits[${i}]`, "must share dim and label type with splits[0]");
    }
    n += s.n;
  }
  const x = new Float64Array(n * first.dim);
  const y = new (first.y.constructor as new (n: number) => Y)(n);
  let row = 0;
  for (const s of splits) {
    x.set(s.x, row * first.dim);
    y.set(s.y, row);
    row += s.n;
  }
  return { x, y, n, dim: first.dim };
}

/** Turns integer class labels into a row-major `[n, numClasses]` one-hot matrix. */
export function oneHot(y: ArrayLike<number>, numClasses: number): Float64Array {
  assertInteger("numClasses", numClasses, 1, 2 ** 20);
  const out = new Float64Array(y.length * numClasses);
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new DatasetArgumentError("y", `label ${String(c)} at row ${i} is not in [0, ${numClasses})`);
    }
    out[i * numClasses + c] = 1;
  }
  return out;
}
