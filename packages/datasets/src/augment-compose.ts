import {
  AugmentationError, type AugmentRandom, type Augmentation, type Checked, type SignalBatch, applyChecked, checkBatch,
  hasCheckedImpl, like, probabilityOption, softLabels, toRandomState, trusted, withCheckedImpl,
} from "./augment-core.js";
import { describe } from "./errors.js";
import type { RandomState } from "./random-state.js";

function checkAugmentations(fn: string, augs: unknown): readonly Augmentation[] {
  if (!Array.isArray(augs) || augs.length === 0) throw new AugmentationError(fn, "augmentations", `must be a non-empty array, got ${describe(augs)}`);
  augs.forEach((a, i) => {
    if (typeof a !== "function" || typeof (a as Partial<Augmentation>).augmentation !== "string") {
      throw new AugmentationError(fn, `augmentations[${i}]`, "must be an Augmentation (e.g. circularShift())");
    }
  });
  return augs as Augmentation[];
}

// A composition validates its batch once; its parts run on the checked batch (applyChecked).
function compose(name: string, parts: readonly Augmentation[], impl: (b: Checked, rng: RandomState) => SignalBatch): Augmentation {
  const fn = (batch: SignalBatch, random: AugmentRandom): SignalBatch => {
    const b = checkBatch(name, batch);
    const rng = toRandomState(name, random);
    return impl(b, rng);
  };
  const aug = Object.assign(fn, {
    augmentation: name,
    labelPreserving: parts.every((p) => p.labelPreserving),
    mixesLabels: parts.some((p) => p.mixesLabels),
  });
  return withCheckedImpl(aug, impl);
}

/**
 * Applies augmentations one after the other, all drawing from one stream (so a key gives one
 * deterministic pipeline). `sequence([a])` is `a`.
 * @example sequence([circularShift(), amplitudeScale()]) // notebook 9.5's augmentation
 */
export function sequence(augmentations: readonly Augmentation[]): Augmentation {
  const parts = checkAugmentations("sequence", augmentations);
  return compose("sequence", parts, (b, rng) => {
    let cur = b;
    let out = applyChecked(parts[0]!, cur, rng);
    for (let i = 1; i < parts.length; i++) {
      // a stage's new array is the sequence's own: the next stage may write into it; what a
      // user-written stage returns is validated like any input
      const prev = parts[i - 1]!;
      cur = hasCheckedImpl(prev) ? trusted(out, cur.owned || out.x !== cur.x) : checkBatch(prev.augmentation, out);
      out = applyChecked(parts[i]!, cur, rng);
    }
    return out;
  });
}

/** Options of {@link randomApply}. */
export interface RandomApplyOptions {
  /** Probability in [0, 1] that an example is augmented (independently per example). */
  readonly p: number;
}

/**
 * Applies `augmentation` to each example independently with probability p (the others pass
 * unchanged); the chosen examples are augmented together as one sub-batch.
 * @example randomApply(reversal(), { p: 0.5 })
 */
export function randomApply(augmentation: Augmentation, options: RandomApplyOptions): Augmentation {
  const [inner] = checkAugmentations("randomApply", [augmentation]);
  if (options === null || typeof options !== "object") throw new AugmentationError("randomApply", "options", "must be { p }");
  const p = probabilityOption("randomApply", "p", options.p);
  return compose("randomApply", [inner!], (b, rng) => {
    const rows: number[] = [];
    for (let i = 0; i < b.n; i++) if (rng.randomSample() < p) rows.push(i);
    return applyToGroups(b, [Int32Array.from(rows)], [inner!], rng);
  });
}

/** Options of {@link oneOf}. */
export interface OneOfOptions {
  /** Relative weights of the augmentations (default equal); non-negative, not all zero. */
  readonly weights?: readonly number[];
}

/**
 * Applies one of the augmentations to each example, chosen independently per example (with
 * `weights` when given); the examples that chose the same augmentation are augmented together.
 * @example oneOf([gaussianNoise(), gaussianSmooth(), timeWarp()])
 */
export function oneOf(augmentations: readonly Augmentation[], options: OneOfOptions = {}): Augmentation {
  const parts = checkAugmentations("oneOf", augmentations);
  const weights = options.weights ?? parts.map(() => 1);
  if (!Array.isArray(weights) || weights.length !== parts.length) {
    throw new AugmentationError("oneOf", "weights", `must have one weight per augmentation (${parts.length})`);
  }
  let total = 0;
  weights.forEach((w, i) => {
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0) throw new AugmentationError("oneOf", `weights[${i}]`, `must be a finite number ≥ 0, got ${describe(w)}`);
    total += w;
  });
  if (!(total > 0)) throw new AugmentationError("oneOf", "weights", "must not all be zero");
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) cdf.push((acc += w) / total);
  return compose("oneOf", parts, (b, rng) => {
    const groups: number[][] = parts.map(() => []);
    for (let i = 0; i < b.n; i++) {
      const u = rng.randomSample();
      let k = 0;
      while (k < parts.length - 1 && !(u < cdf[k]!)) k++;
      groups[k]!.push(i);
    }
    return applyToGroups(b, groups.map((g) => Int32Array.from(g)), parts, rng);
  });
}

/** Rows of a checked batch as a new batch (labels included). */
function gather(b: Checked, rows: Int32Array): SignalBatch {
  const x = like(b.x, rows.length * b.row);
  for (let r = 0; r < rows.length; r++) x.set(b.x.subarray(rows[r]! * b.row, (rows[r]! + 1) * b.row), r * b.row);
  const shape = [rows.length, ...b.shape.slice(1)];
  let y: SignalBatch["y"];
  if (b.y !== undefined) {
    const w = b.labelWidth;
    y = b.y instanceof Int32Array ? new Int32Array(rows.length) : like(b.y, rows.length * w);
    for (let r = 0; r < rows.length; r++) y.set(b.y.subarray(rows[r]! * w, (rows[r]! + 1) * w), r * w);
  }
  return { x, shape, ...(y !== undefined ? { y } : {}), ...(b.numClasses !== undefined ? { numClasses: b.numClasses } : {}) };
}

/** Augment disjoint row groups separately and write them back; labels become soft for all rows if any group's did. */
function applyToGroups(b: Checked, groups: readonly Int32Array[], augs: readonly Augmentation[], rng: RandomState): SignalBatch {
  // every group is gathered (copied) and augmented before any row is written back
  const x = b.owned ? b.x : b.x.slice();
  const results: (SignalBatch | undefined)[] = groups.map((rows, k) => (rows.length === 0 ? undefined : applyChecked(augs[k]!, trusted(gather(b, rows), true), rng)));
  for (let k = 0; k < groups.length; k++) {
    const out = results[k];
    if (out === undefined) continue;
    const rows = groups[k]!;
    for (let r = 0; r < rows.length; r++) x.set(out.x.subarray(r * b.row, (r + 1) * b.row), rows[r]! * b.row);
  }
  if (b.y === undefined) return { x, shape: b.shape, ...(b.numClasses !== undefined ? { numClasses: b.numClasses } : {}) };
  const soft = b.y instanceof Int32Array && results.some((r) => r !== undefined && !(r.y instanceof Int32Array));
  let y: NonNullable<SignalBatch["y"]>;
  let width = b.labelWidth;
  if (soft) {
    const s = softLabels(b);
    y = s.y;
    width = s.k;
  } else {
    y = b.y.slice();
  }
  for (let k = 0; k < groups.length; k++) {
    const out = results[k];
    if (out === undefined || out.y === undefined) continue;
    const rows = groups[k]!;
    for (let r = 0; r < rows.length; r++) y.set(out.y.subarray(r * width, (r + 1) * width), rows[r]! * width);
  }
  return { x, shape: b.shape, y, ...(b.numClasses !== undefined ? { numClasses: b.numClasses } : {}) };
}
