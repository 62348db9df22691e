import { type Tree, add, mul, treeMap } from "@regularize/core-autodiff";
import type { GradientTransformation } from "./transform.js";

/** State of `referenceSgd`: the momentum buffer (null without momentum or before the first step). */
export type ReferenceSgdState = { readonly velocity: Tree | null };

/**
 * A minimal SGD for tests and the conformance suite (the real optimizers live in @regularize/optim):
 * PyTorch semantics v ← μ·v + g (v = g on the first step), update = −α·v; plain −α·g when μ = 0.
 */
export function referenceSgd(opts: { readonly lr: number; readonly momentum?: number }): GradientTransformation<ReferenceSgdState> {
  const { lr } = opts;
  const mu = opts.momentum ?? 0;
  return {
    init: () => ({ velocity: null }),
    update: (g, state) => {
      if (mu === 0) return [treeMap((x) => mul(x, -lr), g), state];
      const v = state.velocity === null ? g : treeMap((vi, gi) => add(mul(vi, mu), gi!), state.velocity, g);
      return [treeMap((x) => mul(x, -lr), v), { velocity: v }];
    },
    hyperparams: () => ({ lr }),
  };
}

