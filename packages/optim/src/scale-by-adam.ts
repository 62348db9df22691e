import { type Tree, add, div, mul, sqrt, square, treeMap, treeZerosLike } from "@regularize/core-autodiff";
import type { Transformation } from "./transformation.js";
import { checkLeafCount } from "./tree-util.js";
import { checkOptions, optionalNumber } from "./validate.js";

/** Options of `scaleByAdam`. */
export interface ScaleByAdamOptions {
  /** Decay of the first moment β₁ in [0, 1) (default 0.9). */
  readonly b1?: number;
  /** Decay of the second moment β₂ in [0, 1) (default 0.999). */
  readonly b2?: number;
  /** ε added to √v̂ in the denominator, as PyTorch and optax (default 1e-8). */
  readonly eps?: number;
  /** ε added to v̂ inside the square root (optax's eps_root; default 0). */
  readonly epsRoot?: number;
}

/** State of `scaleByAdam`: step count and the two moment estimates. */
export interface ScaleByAdamState {
  readonly count: number;
  readonly mu: Tree;
  readonly nu: Tree;
}

/**
 * Adam's preconditioner (Kingma & Ba): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * output m̂/(√(v̂ + ε_root) + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). Follow with scaleByLearningRate.
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): Transformation<ScaleByAdamState> {
  const fn = "scaleByAdam";
  checkOptions(fn, options);
  const b1 = optionalNumber(fn, "b1", options.b1, 0.9, { min: 0, below: 1 });
  const b2 = optionalNumber(fn, "b2", options.b2, 0.999, { min: 0, below: 1 });
  const eps = optionalNumber(fn, "eps", options.eps, 1e-8, { min: 0 });
  const epsRoot = optionalNumber(fn, "epsRoot", options.epsRoot, 0, { min: 0 });
  return {
    init: (params) => ({ count: 0, mu: treeZerosLike(params), nu: treeZerosLike(params) }),
    update<T extends Tree>(updates: T, state: ScaleByAdamState): [T, ScaleByAdamState] {
      checkLeafCount(fn, "state.mu", state.mu, updates);
      checkLeafCount(fn, "state.nu", state.nu, updates);
      const t = state.count + 1;
      const mu = treeMap((m, g) => add(mul(m, b1), mul(g!, 1 - b1)), state.mu as T, updates);
      const nu = treeMap((v, g) => add(mul(v, b2), mul(square(g!), 1 - b2)), state.nu as T, updates);
      const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
      const out = treeMap((m, v) => div(div(m, c1), add(sqrt(add(div(v!, c2), epsRoot)), eps)), mu, nu);
      return [out, { count: t, mu, nu }];
    },
  };
}
