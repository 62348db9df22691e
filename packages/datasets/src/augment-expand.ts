import {
  AugmentationError, type AugmentRandom, type Augmentation, type SignalBatch, checkBatch, like, toRandomState,
} from "./augment-core.js";
import { describe } from "./errors.js";

/** Options of {@link expandWithAugmentations}. */
export interface ExpandOptions {
  /** Number of augmented examples appended (notebook 9.5: 4000). */
  readonly extra: number;
  /**
   * Which originals the copies are made from: "random" (default, notebook 9.5: each copy picks a
   * uniformly random training example, with replacement) or "cycle" (rows 0, 1, …, n − 1, 0, …, so
   * `extra = k·n` gives exactly k copies of every example).
   */
  readonly pick?: "random" | "cycle";
}

/** The expanded set and, for each appended row, the index of the original it was made from. */
export interface ExpandResult {
  /** The originals (first n rows, unchanged) followed by `extra` augmented copies. */
  readonly batch: SignalBatch;
  /** `source[i]` is the original row of appended row n + i. */
  readonly source: Int32Array;
}

/**
 * Offline augmentation (notebook 9.5): appends `extra` augmented copies of training examples to the
 * set, keeping their labels. The picks are drawn first, then the copies are augmented as one batch,
 * all from one stream (`random`).
 * @example expandWithAugmentations(train, sequence([circularShift(), amplitudeScale()]), 7, { extra: 4000 })
 */
export function expandWithAugmentations(
  batch: SignalBatch,
  augmentation: Augmentation,
  random: AugmentRandom,
  options: ExpandOptions,
): ExpandResult {
  const fn = "expandWithAugmentations";
  const b = checkBatch(fn, batch);
  if (typeof augmentation !== "function" || typeof augmentation.augmentation !== "string") {
    throw new AugmentationError(fn, "augmentation", "must be an Augmentation (e.g. circularShift())");
  }
  if (options === null || typeof options !== "object") throw new AugmentationError(fn, "options", "must be { extra, pick? }");
  const { extra } = options;
  if (typeof extra !== "number" || !Number.isInteger(extra) || extra < 0) throw new AugmentationError(fn, "extra", `must be an integer ≥ 0, got ${describe(extra)}`);
  const pick = options.pick ?? "random";
  if (pick !== "random" && pick !== "cycle") throw new AugmentationError(fn, "pick", `must be "random" or "cycle", got ${describe(pick)}`);
  if (b.n === 0 && extra > 0) throw new AugmentationError(fn, "batch", "is empty: there is nothing to copy");
  const rng = toRandomState(fn, random);

  const source = new Int32Array(extra);
  for (let i = 0; i < extra; i++) source[i] = pick === "random" ? rng.randint(0, b.n) : i % b.n;
  const x = like(b.x, extra * b.row);
  for (let i = 0; i < extra; i++) x.set(b.x.subarray(source[i]! * b.row, (source[i]! + 1) * b.row), i * b.row);
  const w = b.labelWidth;
  let y: SignalBatch["y"];
  if (b.y !== undefined) {
    y = b.y instanceof Int32Array ? new Int32Array(extra) : like(b.y, extra * w);
    for (let i = 0; i < extra; i++) y.set(b.y.subarray(source[i]! * w, (source[i]! + 1) * w), i * w);
  }
  // the copies are ours: the augmentation may write into them
  const copies = augmentation(
    { x, shape: [extra, ...b.shape.slice(1)], ...(y !== undefined ? { y } : {}), ...(b.numClasses !== undefined ? { numClasses: b.numClasses } : {}), overwrite: true },
    rng,
  );

  const outX = like(b.x, (b.n + extra) * b.row);
  outX.set(b.x, 0);
  outX.set(copies.x, b.n * b.row);
  let outY: SignalBatch["y"];
  if (copies.y !== undefined && b.y !== undefined) {
    const mixed = b.y instanceof Int32Array && !(copies.y instanceof Int32Array);
    const width = mixed ? copies.y.length / Math.max(extra, 1) : w;
    const base = mixed ? new Float64Array(b.n * width) : b.y;
    if (mixed) for (let i = 0; i < b.n; i++) base[i * width + (b.y as Int32Array)[i]!] = 1;
    outY = base instanceof Int32Array ? new Int32Array(b.n + extra) : like(base, (b.n + extra) * width);
    outY.set(base, 0);
    outY.set(copies.y, b.n * width);
  }
  const numClasses = copies.numClasses ?? b.numClasses;
  return {
    batch: { x: outX, shape: [b.n + extra, ...b.shape.slice(1)], ...(outY !== undefined ? { y: outY } : {}), ...(numClasses !== undefined ? { numClasses } : {}) },
    source,
  };
}
