import type { GradientTransformation, Plugin, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { type PRNGKey, type Tree, add, foldIn, normal, prngKey } from "@regularize/core-autodiff";
import { check, requireNonNegative } from "./errors.js";
import { mapWithPaths } from "@regularize/core-train";

/** Options of {@link gradientNoise}. */
export interface GradientNoiseOptions {
  /** η ≥ 0: the noise variance at step t is σ_t² = η/(1 + t)^γ (Neelakantan et al. use 0.01, 0.3, 1). */
  readonly eta: number;
  /** Annealing exponent γ ≥ 0 (default 0.55). */
  readonly gamma?: number;
  /**
   * Seed of the noise stream when the runner passes no key to `update` (default 0): step t then uses
   * foldIn(prngKey(seed), t). core-train's fit passes this plugin's per-step key, which is used instead.
   */
  readonly seed?: number;
  /** Plugin name (default "gradientNoise"). */
  readonly name?: string;
}
const GRADIENT_NOISE_KEYS: OptionKeys<GradientNoiseOptions> = { eta: true, gamma: true, seed: true, name: true };

/** The transform: g_t + N(0, η/(1+t)^γ) on every gradient leaf (stateless: the key derives from the step). */
export function gradientNoiseTransform(options: GradientNoiseOptions): GradientTransformation<null> {
  const name = check.plugin("gradientNoise", options, GRADIENT_NOISE_KEYS);
  const eta = requireNonNegative(name, "eta", options.eta);
  const gamma = requireNonNegative(name, "gamma", optionOr(options.gamma, 0.55));
  const root = prngKey(check.integer(name, "seed", optionOr(options.seed, 0), 0, Number.MAX_SAFE_INTEGER));
  return {
    init: () => null,
    update(updates: Tree, state: null, _params: Tree, step: number, key?: PRNGKey): [Tree, null] {
      const sd = Math.sqrt(eta / Math.pow(1 + step, gamma));
      if (sd === 0) return [updates, state];
      // stateless: the noise is a function of (key, step), so a resumed run redraws the same noise
      const k = key ?? foldIn(root, step);
      return [mapWithPaths(updates, (_p, g, i) => add(g, normal(foldIn(k, i), g.shape, { std: sd, dtype: g.dtype === "float32" ? "float32" : "float64" }))), state];
    },
  };
}

/**
 * Annealed Gaussian gradient noise (Neelakantan et al. 2015), applied to the raw gradients before
 * the optimizer (`enforce: "pre"`).
 * @example gradientNoise({ eta: 0.3 })
 */
export function gradientNoise(options: GradientNoiseOptions): Plugin<null> {
  const transform = gradientNoiseTransform(options); // validates the options
  return { name: options.name ?? "gradientNoise", enforce: "pre", transform };
}
