import type { GradientTransformation, Plugin, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { type DataArray, type PRNGKey, type Tensor, type Tree, add, astype, foldIn, mul, normal, prngKey, pureCallback, scalar } from "@regularize/core-autodiff";
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

/** The transform's state inside fit: the steps taken, a float64 scalar tensor (so a compiled step replays it). */
export interface GradientNoiseState {
  readonly count: Tensor;
}

/**
 * The transform: g_t + N(0, η/(1+t)^γ) on every gradient leaf. From `init` it counts t in its
 * state as a tensor and computes σ_t with a kernel, so fit's compiled step records it; called with
 * a `null` state (stateless use) t is the `step` argument. The key derives from the step either way.
 */
export function gradientNoiseTransform(options: GradientNoiseOptions): GradientTransformation<GradientNoiseState | null> {
  const name = check.plugin("gradientNoise", options, GRADIENT_NOISE_KEYS);
  const eta = requireNonNegative(name, "eta", options.eta);
  const gamma = requireNonNegative(name, "gamma", optionOr(options.gamma, 0.55));
  const root = prngKey(check.integer(name, "seed", optionOr(options.seed, 0), 0, Number.MAX_SAFE_INTEGER));
  const sdOf = (t: number): number => Math.sqrt(eta / Math.pow(1 + t, gamma));
  const sdKernel = (out: DataArray, c: DataArray): void => {
    out[0] = sdOf(c[0]!);
  };
  const fdtype = (g: Tensor) => (g.dtype === "float32" ? "float32" : "float64") as "float32" | "float64";
  return {
    init: () => ({ count: scalar(0) }),
    update(updates: Tree, state: GradientNoiseState | null, _params: Tree, step: number, key?: PRNGKey): [Tree, GradientNoiseState | null] {
      if (eta === 0) return [updates, state];
      // the noise is a function of (key, step), so a resumed run redraws the same noise
      const k = key ?? foldIn(root, step);
      if (state === null) {
        const sd = sdOf(step);
        return [mapWithPaths(updates, (_p, g, i) => add(g, normal(foldIn(k, i), g.shape, { std: sd, dtype: fdtype(g) }))), null];
      }
      const sd64 = pureCallback(sdKernel, [state.count], [], "float64");
      let sd32: Tensor | undefined;
      const sdFor = (g: Tensor): Tensor => (fdtype(g) === "float32" ? (sd32 ??= astype(sd64, "float32")) : sd64);
      const noisy = mapWithPaths(updates, (_p, g, i) => add(g, mul(normal(foldIn(k, i), g.shape, { dtype: fdtype(g) }), sdFor(g))));
      return [noisy, { count: add(state.count, 1) }];
    },
  };
}

/**
 * Annealed Gaussian gradient noise (Neelakantan et al. 2015), applied to the raw gradients before
 * the optimizer (`enforce: "pre"`).
 * @example gradientNoise({ eta: 0.3 })
 */
export function gradientNoise(options: GradientNoiseOptions): Plugin<GradientNoiseState | null> {
  const transform = gradientNoiseTransform(options); // validates the options
  return { name: options.name ?? "gradientNoise", enforce: "pre", transform };
}
