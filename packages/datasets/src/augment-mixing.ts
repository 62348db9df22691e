import {
  AugmentationError, type Augmentation, type Checked, type SignalBatch, defineAugmentation, finiteOption, knownOptions,
  like, softLabels,
} from "./augment-core.js";
import type { RandomState } from "./random-state.js";

/** Gamma(a, 1) by Marsaglia & Tsang (2000), a < 1 through Gamma(a + 1)·U^(1/a). */
function sampleGamma(rng: RandomState, a: number): number {
  if (a < 1) return sampleGamma(rng, a + 1) * Math.pow(1 - rng.randomSample(), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.standardNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.randomSample();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** @internal Beta(a, a) as X/(X + Y) with X, Y ~ Gamma(a); both zero (tiny a) falls back to a fair coin. */
export function sampleSymmetricBeta(rng: RandomState, a: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, a);
  return x + y === 0 ? (rng.randomSample() < 0.5 ? 1 : 0) : x / (x + y);
}

function alphaOption(fn: string, v: unknown, dflt: number): number {
  const alpha = finiteOption(fn, "alpha", v, dflt);
  if (!(alpha > 0)) throw new AugmentationError(fn, "alpha", `must be > 0, got ${alpha}`);
  return alpha;
}

/** Mixed labels: row i becomes w_i·y_i + (1 − w_i)·y_perm(i). */
function mixLabels(b: Checked, perm: Int32Array, w: Float64Array): SignalBatch["y"] {
  const { y, k } = softLabels(b);
  const out = b.y instanceof Float32Array ? new Float32Array(y.length) : new Float64Array(y.length);
  for (let i = 0; i < b.n; i++) {
    const p = perm[i]!;
    for (let c = 0; c < k; c++) out[i * k + c] = w[i]! * y[i * k + c]! + (1 - w[i]!) * y[p * k + c]!;
  }
  return out;
}

function mixedBatch(b: Checked, x: Float64Array | Float32Array, perm: Int32Array, w: Float64Array): SignalBatch {
  const y = mixLabels(b, perm, w)!;
  const k = y.length / Math.max(b.n, 1);
  return { x, shape: b.shape, y, numClasses: b.n === 0 ? (b.numClasses ?? b.labelWidth) : k };
}

/** Options of {@link mixup} and {@link cutmix}. */
export interface MixOptions {
  /** Beta(α, α) concentration of the mixing weight (default 0.2 for mixup, 1 for cutmix). */
  readonly alpha?: number;
}

/**
 * mixup (Zhang et al., 2018): partners are a random permutation of the batch; with λ ~ Beta(α, α)
 * per example, x ← λx + (1 − λ)x′ and y ← λy + (1 − λ)y′. Integer labels need `numClasses` on the
 * batch and become soft labels `[n, numClasses]` (rows sum to 1).
 * @example mixup({ alpha: 0.2 })({ x, shape: [n, 40], y, numClasses: 10 }, key)
 */
export function mixup(options: MixOptions = {}): Augmentation {
  const fn = "mixup";
  knownOptions(fn, options, ["alpha"]);
  const alpha = alphaOption(fn, options.alpha, 0.2);
  return defineAugmentation(fn, { labelPreserving: false, mixesLabels: true }, (b, rng) => {
    const perm = rng.permutation(b.n);
    const w = new Float64Array(b.n);
    const out = like(b.x);
    for (let i = 0; i < b.n; i++) {
      const lam = sampleSymmetricBeta(rng, alpha);
      w[i] = lam;
      const a = i * b.row;
      const p = perm[i]! * b.row;
      for (let j = 0; j < b.row; j++) out[a + j] = lam * b.x[a + j]! + (1 - lam) * b.x[p + j]!;
    }
    return mixedBatch(b, out, perm, w);
  });
}

/**
 * CutMix (Yun et al., 2019) in 1-D: with λ ~ Beta(α, α), a segment of round((1 − λ)·length) samples at
 * a uniform position is pasted from a partner (a random permutation of the batch); the labels mix
 * in proportion to the samples actually kept, 1 − width/length.
 * @example cutmix({ alpha: 1 })({ x, shape: [n, 40], y, numClasses: 10 }, key)
 */
export function cutmix(options: MixOptions = {}): Augmentation {
  const fn = "cutmix";
  knownOptions(fn, options, ["alpha"]);
  const alpha = alphaOption(fn, options.alpha, 1);
  return defineAugmentation(fn, { labelPreserving: false, mixesLabels: true }, (b, rng) => {
    const L = b.length;
    const perm = rng.permutation(b.n);
    const w = new Float64Array(b.n);
    const out = b.x.slice();
    for (let i = 0; i < b.n; i++) {
      const lam = sampleSymmetricBeta(rng, alpha);
      const width = Math.round((1 - lam) * L);
      const start = rng.randint(0, L - width + 1);
      w[i] = 1 - width / L;
      for (let c = 0; c < b.channels; c++) {
        const a = i * b.row + c * L + start;
        const p = perm[i]! * b.row + c * L + start;
        for (let j = 0; j < width; j++) out[a + j] = b.x[p + j]!;
      }
    }
    return mixedBatch(b, out, perm, w);
  });
}
