import { type Tree, add, div, mul, sqrt, square, sub, treeMap, treeZerosLike, fullLike } from "@regularize/core-autodiff";
import { UsageError } from "./errors.js";
import type { Transformation } from "./transformation.js";
import { checkLeafCount } from "./tree-util.js";
import { checkOptions, optionalBoolean, optionalNumber, checkUpdateArgs } from "./validate.js";

/** Options of `scaleByRms`. */
export interface ScaleByRmsOptions {
  /** Decay ρ of the squared-gradient average in [0, 1) (default 0.99, PyTorch's alpha). */
  readonly decay?: number;
  /** ε (default 1e-8): added to √v as PyTorch does, or inside the root with `epsInSqrt` as optax does. */
  readonly eps?: number;
  /** Put ε inside the square root, g/√(v + ε) (optax's default) instead of g/(√v + ε) (default false). */
  readonly epsInSqrt?: boolean;
  /** Centred RMSprop: divide by the root of the variance estimate v − ḡ² (default false). */
  readonly centered?: boolean;
  /** Initial value of v (default 0, as PyTorch). */
  readonly initialScale?: number;
}

/** State of `scaleByRms`: the squared-gradient average, and the gradient average when centred. */
export interface ScaleByRmsState {
  readonly nu: Tree;
  readonly mu: Tree | null;
}

/** RMSprop's preconditioner (Hinton; PyTorch RMSprop): v ← ρv + (1 − ρ)g², output g/(√v + ε). */
export function scaleByRms(options: ScaleByRmsOptions = {}): Transformation<ScaleByRmsState> {
  const fn = "scaleByRms";
  checkOptions(fn, options, { decay: true, eps: true, epsInSqrt: true, centered: true, initialScale: true });
  const rho = optionalNumber(fn, "decay", options.decay, 0.99, { min: 0, below: 1 });
  const eps = optionalNumber(fn, "eps", options.eps, 1e-8, { min: 0 });
  const inSqrt = optionalBoolean(fn, "epsInSqrt", options.epsInSqrt, false);
  const centered = optionalBoolean(fn, "centered", options.centered, false);
  const init0 = optionalNumber(fn, "initialScale", options.initialScale, 0, { min: 0 });
  return {
    init: (params) => ({ nu: treeMap((p) => fullLike(p, init0), params), mu: centered ? treeZerosLike(params) : null }),
    update<T extends Tree>(updates: T, state: ScaleByRmsState): [T, ScaleByRmsState] {
      checkUpdateArgs(fn, updates, state, ["nu"]);
      checkLeafCount(fn, "state.nu", state.nu, updates);
      const nu = treeMap((v, g) => add(mul(v, rho), mul(square(g!), 1 - rho)), state.nu as T, updates);
      let mu: T | null = null;
      let denomBase = nu;
      if (centered) {
        if (state.mu === null) throw new UsageError(fn, "state.mu is null: the state comes from a non-centred scaleByRms");
        mu = treeMap((m, g) => add(mul(m, rho), mul(g!, 1 - rho)), state.mu as T, updates);
        denomBase = treeMap((v, m) => sub(v, square(m!)), nu, mu);
      }
      const out = treeMap((g, v) => div(g, inSqrt ? sqrt(add(v!, eps)) : add(sqrt(v!), eps)), updates, denomBase);
      return [out, { nu, mu }];
    },
  };
}
