import type { ForwardHookContext, Plugin, OptionKeys } from "@regularize/core-train";
import { type Tree, add, foldIn, normal } from "@regularize/core-autodiff";
import { check, requireNonNegative } from "./errors.js";
import { type ParamMask, mapSelected, weightsOnly } from "@regularize/core-train";

/** Options of {@link weightNoise}. */
export interface WeightNoiseOptions {
  /** σ ≥ 0 of the additive perturbation φ + ε, ε ~ N(0, σ²), drawn fresh each step. */
  readonly sigma: number;
  /** Which tensors are perturbed. Default: `weightsOnly` (weights, not biases). */
  readonly mask?: ParamMask;
  /** Plugin name (default "weightNoise"). */
  readonly name?: string;
}
const WEIGHT_NOISE_KEYS: OptionKeys<WeightNoiseOptions> = { sigma: true, mask: true, name: true };

/**
 * Additive weight noise (An 1996; Graves 2011; "noise on weights" of figure 9.14): the forward pass
 * uses φ + ε while the gradient (∂/∂φ of φ + ε is the identity) updates the unperturbed φ; it
 * favours wide minima. Test time uses φ.
 * @example weightNoise({ sigma: 0.01 })
 */
export function weightNoise(options: WeightNoiseOptions): Plugin {
  const name = check.plugin("weightNoise", options, WEIGHT_NOISE_KEYS);
  const sigma = requireNonNegative(name, "sigma", options.sigma);
  const select = options.mask === undefined ? weightsOnly : check.func<ParamMask>(name, "mask", options.mask);
  return {
    name,
    forwardParams(params: Tree, ctx: ForwardHookContext): Tree {
      if (!ctx.active || sigma === 0) return params;
      return mapSelected(params, select, (_path, w, i) =>
        add(w, normal(foldIn(ctx.key, i), w.shape, { std: sigma, dtype: w.dtype === "float32" ? "float32" : "float64" })),
      );
    },
  };
}
