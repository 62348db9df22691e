import { type Tree, mul, treeMap, treeNorm } from "@regularize/core-autodiff";
import type { EmptyState, Transformation } from "./transformation.js";
import { checkNumber, checkOptions, checkUpdateArgs } from "./validate.js";

/** Options of `clipByGlobalNorm`. */
export interface ClipByGlobalNormOptions {
  /** Largest allowed L2 norm of all updates taken together. */
  readonly maxNorm: number;
  /**
   * Added to the norm in the scale factor maxNorm / (‖u‖ + eps) (default 0: exact clipping to maxNorm).
   * PyTorch's `clip_grad_norm_` uses 1e-6; pass `eps: 1e-6` to match it.
   */
  readonly eps?: number;
}

/**
 * Rescale the updates so their global L2 norm (over every tensor) is at most maxNorm; smaller updates pass unchanged.
 * @example clipByGlobalNorm({ maxNorm: 1 }); clipByGlobalNorm({ maxNorm: 1, eps: 1e-6 }) // as torch.nn.utils.clip_grad_norm_
 */
export function clipByGlobalNorm(options: ClipByGlobalNormOptions): Transformation<EmptyState> {
  const fn = "clipByGlobalNorm";
  checkOptions(fn, options, { maxNorm: true, eps: true });
  const max = checkNumber(fn, "maxNorm", options.maxNorm, { above: 0 });
  const eps = options.eps === undefined ? 0 : checkNumber(fn, "eps", options.eps, { min: 0 });
  return {
    init: () => ({}),
    update<T extends Tree>(updates: T, state: EmptyState): [T, EmptyState] {
      checkUpdateArgs(fn, updates, state);
      const norm = treeNorm(updates);
      if (norm + eps <= max) return [updates, state];
      const s = max / (norm + eps);
      return [treeMap((u) => mul(u, s), updates), state];
    },
  };
}
