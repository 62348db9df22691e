import { type Loss, type Plugin, describeValue } from "@regularize/core-train";
import { type Tensor, type Tree, div, mse, mul, treeSquaredNorm } from "@regularize/core-autodiff";
import { BayesArgumentError, check, requirePositive } from "./errors.js";

/**
 * The per-example Gaussian negative log-likelihood (y − f)²/(2σ²) averaged over the batch (constants
 * dropped): the data term of U/N in the package's convention (see {@link SgMcmcOptions}).
 * @example fit({ ..., loss: gaussianNllLoss(0.09) })
 */
export function gaussianNllLoss(noiseVariance: number): Loss {
  const s2 = requirePositive("gaussianNllLoss", "noiseVariance", noiseVariance);
  return (pred, batch) => {
    if (batch === null || typeof batch !== "object") throw new BayesArgumentError("gaussianNllLoss", "batch", `must be the batch { x, y } fit passes to a loss, got ${describeValue(batch)}`);
    return div(mse(pred, batch.y), 2 * s2);
  };
}

/** Options of {@link gaussianPrior}. */
export interface GaussianPriorOptions {
  /** σ_p² of the prior φ ~ N(0, σ_p² I) on every parameter (biases included). */
  readonly variance: number;
  /** N, the training-set size: the penalty is −log p(φ)/N = ‖φ‖²/(2σ_p² N), the prior's share of U/N. */
  readonly dataSize: number;
  /** Plugin name (default "gaussianPrior"). */
  readonly name?: string;
}

/**
 * The isotropic Gaussian prior as a penalty on the per-example scale: ‖φ‖²/(2σ_p²N). With a mean
 * loss, the objective is then U(φ)/N, the negative log posterior per example (MAP = ridge with λ = σ²/σ_p²).
 * @example gaussianPrior({ variance: 10, dataSize: 15 })
 */
export function gaussianPrior(options: GaussianPriorOptions): Plugin {
  const fn = "gaussianPrior";
  const name = check.plugin(fn, options, { variance: true, dataSize: true, name: true });
  const v = check.positive(name, "variance", options.variance);
  const n = check.integer(name, "dataSize", options.dataSize, 1);
  const c = 1 / (2 * v * n);
  return { name, penalty: (params: Tree): Tensor => mul(treeSquaredNorm(params), c) };
}
