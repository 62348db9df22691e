import { type Tree, mul, treeMap, treeNorm } from "@regularize/core-autodiff";
import type { EmptyState, Transformation } from "./transformation.js";
import { checkNumber, checkOptions } from "./validate.js";

/** Options of `clipByGlobalNorm`. */
export interface ClipByGlobalNormOptions {
  /** Largest allowed L2 norm of all updates taken together. */
  readonly maxNorm: number;
}

/** Rescale the updates so their global L2 norm (over every tensor) is at most maxNorm; smaller updates pass unchanged. */
export function clipByGlobalNorm(options: ClipByGlobalNormOptions): Transformation<EmptyState> {
  const fn = "clipByGlobalNorm";
  checkOptions(fn, options);
  const max = checkNumber(fn, "maxNorm", options.maxNorm, { above: 0 });
  return {
    init: () => ({}),
    update<T extends Tree>(updates: T, state: EmptyState): [T, EmptyState] {
      const norm = treeNorm(updates);
      if (norm <= max) return [updates, state];
      const s = max / norm;
      return [treeMap((u) => mul(u, s), updates), state];
    },
  };
}
