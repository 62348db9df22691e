import { type Tree, add, mul, treeMap, treeZerosLike } from "@regularize/core-autodiff";
import type { Transformation } from "./transformation.js";
import { checkLeafCount } from "./tree-util.js";
import { checkOptions, optionalBoolean, optionalNumber, checkUpdateArgs } from "./validate.js";

/** Options of `emaMomentum`. */
export interface EmaMomentumOptions {
  /** Momentum coefficient β in [0, 1) (default 0.9). */
  readonly beta?: number;
  /** Nesterov's variant in the same convention: output β·m + (1 − β)·g with the new m (default false). */
  readonly nesterov?: boolean;
}

/** State of `emaMomentum`: the moving average m. */
export interface EmaMomentumState {
  readonly m: Tree;
}

/**
 * Momentum in the book's convention (UDL eq. 6.11): m ← β·m + (1 − β)·g, output m — an
 * exponential moving average of the gradients, starting from m₀ = 0 (no bias correction, as in the
 * book). Nesterov (eq. 6.12 rewritten at the current point): output β·m + (1 − β)·g.
 */
export function emaMomentum(options: EmaMomentumOptions = {}): Transformation<EmaMomentumState> {
  const fn = "emaMomentum";
  checkOptions(fn, options, { beta: true, nesterov: true });
  const beta = optionalNumber(fn, "beta", options.beta, 0.9, { min: 0, below: 1 });
  const nesterov = optionalBoolean(fn, "nesterov", options.nesterov, false);
  return {
    init: (params) => ({ m: treeZerosLike(params) }),
    update<T extends Tree>(updates: T, state: EmaMomentumState): [T, EmaMomentumState] {
      checkUpdateArgs(fn, updates, state, ["m"]);
      checkLeafCount(fn, "state.m", state.m, updates);
      const m = treeMap((mi, g) => add(mul(mi, beta), mul(g!, 1 - beta)), state.m as T, updates);
      const out = nesterov ? treeMap((g, mi) => add(mul(mi!, beta), mul(g, 1 - beta)), updates, m) : m;
      return [out, { m }];
    },
  };
}
