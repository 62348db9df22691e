import { type Tree, add, mul, treeMap, treeZerosLike } from "@regularize/core-autodiff";
import type { Transformation } from "./transformation.js";
import { checkLeafCount } from "./tree-util.js";
import { checkOptions, optionalBoolean, optionalNumber, checkUpdateArgs } from "./validate.js";

/** Options of `traceMomentum`. */
export interface TraceMomentumOptions {
  /** Momentum coefficient β in [0, 1) (default 0.9). */
  readonly beta?: number;
  /** Nesterov's variant: output g + β·v instead of v (default false). */
  readonly nesterov?: boolean;
}

/** State of `traceMomentum`: the velocity v. */
export interface TraceMomentumState {
  readonly trace: Tree;
}

/**
 * Heavy-ball momentum in PyTorch's convention (torch.optim.SGD, optax's `trace`): v ← β·v + g,
 * output v (or g + β·v with Nesterov). Unlike the book's eq. 6.11 there is no (1 − β) factor, so
 * the effective step is α/(1 − β) on a constant gradient; see `emaMomentum` for the book's form.
 */
export function traceMomentum(options: TraceMomentumOptions = {}): Transformation<TraceMomentumState> {
  const fn = "traceMomentum";
  checkOptions(fn, options, { beta: true, nesterov: true });
  const beta = optionalNumber(fn, "beta", options.beta, 0.9, { min: 0, below: 1 });
  const nesterov = optionalBoolean(fn, "nesterov", options.nesterov, false);
  return {
    init: (params) => ({ trace: treeZerosLike(params) }),
    update<T extends Tree>(updates: T, state: TraceMomentumState): [T, TraceMomentumState] {
      checkUpdateArgs(fn, updates, state, ["trace"]);
      checkLeafCount(fn, "state.trace", state.trace, updates);
      // v₀ = 0 makes the first velocity equal the first gradient, exactly as PyTorch's buffer init
      const trace = treeMap((v, g) => add(mul(v, beta), g!), state.trace as T, updates);
      const out = nesterov ? treeMap((g, v) => add(g, mul(v!, beta)), updates, trace) : trace;
      return [out, { trace }];
    },
  };
}
