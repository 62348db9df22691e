import {
  AugmentationError, type Augmentation, defineAugmentation, finiteOption, knownOptions, output, rangeOption, withX,
} from "./augment-core.js";
import { correlateSymmetricReflect, gaussianKernel } from "./gaussian-filter.js";

/** Options of {@link amplitudeScale}. */
export interface AmplitudeScaleOptions {
  /** Smallest factor (default 0.8, notebook 9.5). */
  readonly low?: number;
  /** Largest factor (default 1.2, notebook 9.5). */
  readonly high?: number;
}

/**
 * Amplitude scaling (notebook 9.5's second transform; figure 9.13's colour balance): each signal is
 * multiplied by s ~ U[low, high], so its energy Σx² is multiplied by s².
 * @example amplitudeScale({ low: 0.8, high: 1.2 })(batch, key)
 */
export function amplitudeScale(options: AmplitudeScaleOptions = {}): Augmentation {
  const fn = "amplitudeScale";
  knownOptions(fn, options, ["low", "high"]);
  const low = finiteOption(fn, "low", options.low, 0.8);
  const high = finiteOption(fn, "high", options.high, 1.2);
  rangeOption(fn, "low", low, "high", high);
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false }, (b, rng) => {
    const out = output(b);
    for (let i = 0; i < b.n; i++) {
      const s = rng.uniform(low, high);
      for (let j = i * b.row; j < (i + 1) * b.row; j++) out[j] = b.x[j]! * s;
    }
    return withX(b, out);
  });
}

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Standard deviation σ of the added noise (default 0.1); σ = 0 is the identity. */
  readonly sigma?: number;
}

/**
 * Additive white Gaussian noise: x + σ·ε, ε ~ N(0, 1) independently per sample (book §9.3.3).
 * @example gaussianNoise({ sigma: 0.1 })(batch, key)
 */
export function gaussianNoise(options: GaussianNoiseOptions = {}): Augmentation {
  const fn = "gaussianNoise";
  knownOptions(fn, options, ["sigma"]);
  const sigma = finiteOption(fn, "sigma", options.sigma, 0.1);
  if (sigma < 0) throw new AugmentationError(fn, "sigma", `must be ≥ 0, got ${sigma}`);
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false }, (b, rng) => {
    const out = output(b);
    for (let j = 0; j < b.x.length; j++) out[j] = b.x[j]! + sigma * rng.standardNormal();
    return withX(b, out);
  });
}

/** Options of {@link gaussianSmooth}. */
export interface GaussianSmoothOptions {
  /** Smallest kernel width σ in samples (default 0.5); 0 leaves a signal unchanged. */
  readonly low?: number;
  /** Largest σ (default 1.5). */
  readonly high?: number;
}

/**
 * Gaussian smoothing (figure 9.13's blur): each signal is filtered with a Gaussian of σ ~ U[low, high]
 * samples, truncated at 4σ, reflecting at the ends — scipy's `gaussian_filter1d(x, σ, mode="reflect")`.
 * @example gaussianSmooth({ low: 0.5, high: 1.5 })(batch, key)
 */
export function gaussianSmooth(options: GaussianSmoothOptions = {}): Augmentation {
  const fn = "gaussianSmooth";
  knownOptions(fn, options, ["low", "high"]);
  const low = finiteOption(fn, "low", options.low, 0.5);
  const high = finiteOption(fn, "high", options.high, 1.5);
  rangeOption(fn, "low", low, "high", high, 0);
  const fixed = low === high && low > 0 ? gaussianKernel(low) : undefined;
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false }, (b, rng) => {
    const L = b.length;
    const out = output(b);
    const src = new Float64Array(L);
    const dst = new Float64Array(L);
    for (let i = 0; i < b.n; i++) {
      const sigma = rng.uniform(low, high);
      const kernel = sigma === 0 ? undefined : (fixed ?? gaussianKernel(sigma));
      for (let c = 0; c < b.channels; c++) {
        const base = i * b.row + c * L;
        if (kernel === undefined) {
          for (let j = 0; j < L; j++) out[base + j] = b.x[base + j]!;
          continue;
        }
        for (let j = 0; j < L; j++) src[j] = b.x[base + j]!;
        correlateSymmetricReflect(src, kernel, dst, L);
        for (let j = 0; j < L; j++) out[base + j] = dst[j]!;
      }
    }
    return withX(b, out);
  });
}

/** Options of {@link windowing}. */
export interface WindowingOptions {
  /** Smallest strength a (default 0): 0 leaves the signal, 1 applies the full Hann window. */
  readonly low?: number;
  /** Largest strength (default 0.5). */
  readonly high?: number;
}

/**
 * Windowing (figure 9.13's vignette): the signal is multiplied by 1 − a·(1 − hann(t)), a ~ U[low, high],
 * which fades the ends towards zero and keeps the centre.
 * @example windowing({ low: 0, high: 0.5 })(batch, key)
 */
export function windowing(options: WindowingOptions = {}): Augmentation {
  const fn = "windowing";
  knownOptions(fn, options, ["low", "high"]);
  const low = finiteOption(fn, "low", options.low, 0);
  const high = finiteOption(fn, "high", options.high, 0.5);
  rangeOption(fn, "low", low, "high", high, 0);
  if (high > 1) throw new AugmentationError(fn, "high", `must be ≤ 1, got ${high}`);
  return defineAugmentation(fn, { labelPreserving: true, mixesLabels: false }, (b, rng) => {
    const L = b.length;
    const hann = new Float64Array(L);
    for (let j = 0; j < L; j++) hann[j] = L === 1 ? 1 : 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / (L - 1));
    const out = output(b);
    for (let i = 0; i < b.n; i++) {
      const a = rng.uniform(low, high);
      for (let c = 0; c < b.channels; c++) {
        const base = i * b.row + c * L;
        for (let j = 0; j < L; j++) out[base + j] = b.x[base + j]! * (1 - a * (1 - hann[j]!));
      }
    }
    return withX(b, out);
  });
}
