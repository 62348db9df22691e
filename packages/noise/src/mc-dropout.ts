import { type Model, type Plugin, predict } from "@regularize/core-train";
import { type PRNGKey, type Tensor, type Tree, foldIn, mean, stack, variance } from "@regularize/core-autodiff";
import { isDropoutFamily } from "./dropout-family.js";
import { NoiseOptionError, requirePositiveInteger } from "./errors.js";

/** Options of {@link mcDropoutPredict}. */
export interface McDropoutOptions {
  /** Number of stochastic forward passes T. */
  readonly samples: number;
  /** Key of the passes (pass t uses foldIn(key, t)). */
  readonly key: PRNGKey;
  /** The fit's plugins; only the dropout-family ones are switched on, the rest stay in eval mode. */
  readonly plugins: readonly Plugin[];
}

/** Mean and (population) variance over T passes, plus the passes themselves [T, …]. */
export interface McDropoutResult {
  readonly mean: Tensor;
  readonly variance: Tensor;
  readonly samples: Tensor;
}

/**
 * Monte Carlo dropout (Gal & Ghahramani 2016; book §9.3.3): average T forward passes with fresh
 * dropout masks at test time. Uses core-train's `predict` in eval mode with `activate` = the
 * dropout-family plugins only, so no other stochastic layer flips to train behaviour.
 * @example mcDropoutPredict(model, params, x, { samples: 50, key: prngKey(0), plugins: [dropout({ rate: 0.5 })] })
 */
export function mcDropoutPredict<P extends Tree>(model: Model<P>, params: P, x: Tensor, options: McDropoutOptions): McDropoutResult {
  const T = requirePositiveInteger("mcDropoutPredict", "samples", options?.samples);
  if (!Array.isArray(options.plugins)) throw new NoiseOptionError("mcDropoutPredict", "plugins", "must be an array of plugins");
  const activate = options.plugins.filter(isDropoutFamily).map((p) => p.name);
  if (activate.length === 0) throw new NoiseOptionError("mcDropoutPredict", "plugins", "contains no dropout-family plugin to switch on");
  const outs: Tensor[] = [];
  for (let t = 0; t < T; t++) outs.push(predict(model, params, x, { plugins: options.plugins, activate, key: foldIn(options.key, t) }));
  const samples = stack(outs);
  return { mean: mean(samples, { axis: 0 }), variance: variance(samples, { axis: 0 }), samples };
}
