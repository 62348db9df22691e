import {
  AugmentationError, type Augmentation, type Checked, defineAugmentation, finiteOption, knownOptions, like, output,
  rangeOption, sampleAt, withX,
} from "./augment-core.js";
import { describe } from "./errors.js";

/** How a resampled signal is read outside its support: repeat the end value, zeros, or circularly. */
export type ResampleMode = "edge" | "zero" | "wrap";

function modeOption(fn: string, v: unknown): ResampleMode {
  const m = v ?? "edge";
  if (m !== "edge" && m !== "zero" && m !== "wrap") throw new AugmentationError(fn, "mode", `must be "edge", "zero" or "wrap", got ${describe(m)}`);
  return m;
}

function intOption(fn: string, name: string, v: unknown, dflt: number, min: number): number {
  const value = v === undefined ? dflt : v;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new AugmentationError(fn, name, `must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}

/** Options of {@link circularShift}. */
export interface CircularShiftOptions {
  /** Smallest shift (default 0); negative shifts move left. */
  readonly min?: number;
  /** Largest shift, inclusive (default length − 1: every rotation equally likely). */
  readonly max?: number;
}

/**
 * Circular shift (the 1-D analogue of translation; notebook 9.5's first transform): each signal is
 * rotated right by k ~ U{min…max}, as `np.roll(x, k)` — samples leaving one end re-enter at the other.
 * @example circularShift({ max: 39 })(batch, key)
 */
export function circularShift(options: CircularShiftOptions = {}): Augmentation {
  const fn = "circularShift";
  knownOptions(fn, options, ["min", "max"]);
  const min = intOption(fn, "min", options.min, 0, Number.MIN_SAFE_INTEGER);
  if (options.max !== undefined) intOption(fn, "max", options.max, 0, Number.MIN_SAFE_INTEGER);
  if (options.max !== undefined && options.max < min) throw new AugmentationError(fn, "max", `must be ≥ min (${min}), got ${options.max}`);
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false }, (b, rng) => {
    const L = b.length;
    const max = options.max ?? Math.max(min, L - 1);
    const out = output(b);
    // in place, each row is read from a copy of itself
    const row = out === b.x ? like(b.x, L) : undefined;
    for (let i = 0; i < b.n; i++) {
      const k = rng.randint(min, max + 1);
      const s = ((k % L) + L) % L;
      for (let c = 0; c < b.channels; c++) {
        const base = i * b.row + c * L;
        let src = b.x, at = base;
        if (row !== undefined) {
          for (let j = 0; j < L; j++) row[j] = b.x[base + j]!;
          src = row;
          at = 0;
        }
        // out[(j + s) mod L] = x[j], as two straight runs (no modulo per sample)
        for (let j = 0; j < L - s; j++) out[base + j + s] = src[at + j]!;
        for (let j = L - s; j < L; j++) out[base + j + s - L] = src[at + j]!;
      }
    }
    return withX(b, out);
  });
}

/** Options of {@link timeStretch}. */
export interface TimeStretchOptions {
  /** Smallest stretch factor r (default 0.8); r > 1 dilates (slows) the signal, r < 1 compresses it. */
  readonly low?: number;
  /** Largest stretch factor (default 1.2). */
  readonly high?: number;
  /** Reading outside the signal when compressing (default "edge"). */
  readonly mode?: ResampleMode;
}

/**
 * Time stretch / dilation by resampling (figure 9.13's "stretch"): with r ~ U[low, high], the output
 * at time t is the input at c + (t − c)/r (c the centre), linearly interpolated; the length is kept.
 * @example timeStretch({ low: 0.8, high: 1.2 })(batch, key)
 */
export function timeStretch(options: TimeStretchOptions = {}): Augmentation {
  const fn = "timeStretch";
  knownOptions(fn, options, ["low", "high", "mode"]);
  const low = finiteOption(fn, "low", options.low, 0.8);
  const high = finiteOption(fn, "high", options.high, 1.2);
  rangeOption(fn, "low", low, "high", high, Number.MIN_VALUE);
  const mode = modeOption(fn, options.mode);
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false, minLength: 2 }, (b, rng) => {
    const L = b.length;
    const centre = (L - 1) / 2;
    const out = like(b.x);
    for (let i = 0; i < b.n; i++) {
      const r = rng.uniform(low, high);
      for (let c = 0; c < b.channels; c++) {
        const base = i * b.row + c * L;
        for (let j = 0; j < L; j++) out[base + j] = sampleAt(b.x, base, L, centre + (j - centre) / r, mode);
      }
    }
    return withX(b, out);
  });
}

/** Options of {@link timeWarp}. */
export interface TimeWarpOptions {
  /** σ of the log-speed at each knot (default 0.3); 0 is the identity. */
  readonly strength?: number;
  /** Interior knots of the warp (default 4): more knots, wigglier warps. */
  readonly knots?: number;
}

/**
 * Non-linear time warp (figure 9.13's pincushion distortion in 1-D): local speeds exp(σ·z) at
 * `knots + 1` evenly spaced knots, linearly interpolated and integrated into a monotone map of the
 * time axis onto itself with fixed end points; the signal is resampled along it.
 * @example timeWarp({ strength: 0.3 })(batch, key)
 */
export function timeWarp(options: TimeWarpOptions = {}): Augmentation {
  const fn = "timeWarp";
  knownOptions(fn, options, ["strength", "knots"]);
  const strength = finiteOption(fn, "strength", options.strength, 0.3);
  if (strength < 0) throw new AugmentationError(fn, "strength", `must be ≥ 0, got ${strength}`);
  const knots = intOption(fn, "knots", options.knots, 4, 1);
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false, minLength: 2 }, (b, rng) => {
    const L = b.length;
    const out = like(b.x);
    const speed = new Float64Array(knots + 1);
    const pos = new Float64Array(L);
    for (let i = 0; i < b.n; i++) {
      for (let k = 0; k <= knots; k++) speed[k] = Math.exp(strength * rng.standardNormal());
      // Speed on interval [j−1, j] read at its midpoint; integrated and rescaled so pos[L−1] = L − 1.
      pos[0] = 0;
      for (let j = 1; j < L; j++) {
        const u = ((j - 0.5) / (L - 1)) * knots;
        const k0 = Math.min(Math.floor(u), knots - 1);
        const f = u - k0;
        pos[j] = pos[j - 1]! + speed[k0]! + (speed[k0 + 1]! - speed[k0]!) * f;
      }
      const s = (L - 1) / pos[L - 1]!;
      for (let j = 1; j < L - 1; j++) pos[j] = pos[j]! * s;
      pos[L - 1] = L - 1;
      for (let c = 0; c < b.channels; c++) {
        const base = i * b.row + c * L;
        for (let j = 0; j < L; j++) out[base + j] = sampleAt(b.x, base, L, pos[j]!, "edge");
      }
    }
    return withX(b, out);
  });
}

/**
 * Time reversal (figure 9.13's flip). Caution: unlike a horizontal image flip this may change the
 * label — a reversed MNIST-1D digit is generally not the same digit — so it is flagged
 * `labelPreserving: false`. Deterministic; wrap it in `randomApply` to flip a share of signals.
 * @example randomApply(reversal(), { p: 0.5 })
 */
export function reversal(): Augmentation {
  const fn = "reversal";
  return defineAugmentation(fn, { labelPreserving: false, mixesLabels: false }, (b: Checked) => {
    const L = b.length;
    const out = output(b);
    const rows = b.n * b.channels;
    for (let r = 0; r < rows; r++) {
      const base = r * L;
      // swap the ends inwards: right in place too
      for (let j = 0; j < L - 1 - j; j++) {
        const a = b.x[base + j]!;
        out[base + j] = b.x[base + L - 1 - j]!;
        out[base + L - 1 - j] = a;
      }
      if (L % 2 === 1) out[base + (L - 1) / 2] = b.x[base + (L - 1) / 2]!;
    }
    return withX(b, out);
  });
}

/** Options of {@link cutout}. */
export interface CutoutOptions {
  /** Shortest cut (default 1). */
  readonly minWidth?: number;
  /** Longest cut, inclusive (default ⌊length / 4⌋, at least minWidth). */
  readonly maxWidth?: number;
  /** Value written over the cut (default 0, the mean of standardised data). */
  readonly fill?: number;
}

/**
 * Cutout: a random contiguous segment of w ~ U{minWidth…maxWidth} samples, at a uniform position
 * inside the signal, is overwritten with `fill`.
 * @example cutout({ maxWidth: 8 })(batch, key)
 */
export function cutout(options: CutoutOptions = {}): Augmentation {
  const fn = "cutout";
  knownOptions(fn, options, ["minWidth", "maxWidth", "fill"]);
  const minWidth = intOption(fn, "minWidth", options.minWidth, 1, 0);
  if (options.maxWidth !== undefined) intOption(fn, "maxWidth", options.maxWidth, 0, minWidth);
  const fill = finiteOption(fn, "fill", options.fill, 0);
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false }, (b, rng) => {
    const L = b.length;
    const maxWidth = options.maxWidth ?? Math.max(minWidth, Math.floor(L / 4));
    if (maxWidth > L) throw new AugmentationError(fn, "maxWidth", `${maxWidth} exceeds the signal length ${L}`);
    const out = b.owned ? b.x : b.x.slice();
    for (let i = 0; i < b.n; i++) {
      const w = rng.randint(minWidth, maxWidth + 1);
      const start = rng.randint(0, L - w + 1);
      for (let c = 0; c < b.channels; c++) out.fill(fill, i * b.row + c * L + start, i * b.row + c * L + start + w);
    }
    return withX(b, out);
  });
}
