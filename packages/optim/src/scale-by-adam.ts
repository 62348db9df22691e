import { type Tensor, type Tree, adamStep, pureCallback, treeFlatten, treeUnflatten, treeZerosLike } from "@regularize/core-autodiff";
import { type StepCount, countTensor, nextCount } from "./count.js";
import type { Transformation } from "./transformation.js";
import { checkLeafCount } from "./tree-util.js";
import { checkOptions, optionalNumber, checkUpdateArgs } from "./validate.js";

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

/** State of `scaleByAdam`: step count (a float64 scalar tensor, see `StepCount`) and the two moment estimates. */
export interface ScaleByAdamState {
  readonly count: StepCount;
  readonly mu: Tree;
  readonly nu: Tree;
}

/**
 * Adam's preconditioner (Kingma & Ba): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * output m̂/(√(v̂ + ε_root) + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). Follow with scaleByLearningRate.
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): Transformation<ScaleByAdamState> {
  const fn = "scaleByAdam";
  checkOptions(fn, options, { b1: true, b2: true, eps: true, epsRoot: true });
  const b1 = optionalNumber(fn, "b1", options.b1, 0.9, { min: 0, below: 1 });
  const b2 = optionalNumber(fn, "b2", options.b2, 0.999, { min: 0, below: 1 });
  const eps = optionalNumber(fn, "eps", options.eps, 1e-8, { min: 0 });
  const epsRoot = optionalNumber(fn, "epsRoot", options.epsRoot, 0, { min: 0 });
  return {
    init: (params) => ({ count: countTensor(0), mu: treeZerosLike(params), nu: treeZerosLike(params) }),
    update<T extends Tree>(updates: T, state: ScaleByAdamState): [T, ScaleByAdamState] {
      checkUpdateArgs(fn, updates, state, ["count", "mu", "nu"]);
      checkLeafCount(fn, "state.mu", state.mu, updates);
      checkLeafCount(fn, "state.nu", state.nu, updates);
      // t and the corrections are tensors computed by kernels, so a jit recording replays them
      // with the runtime count (the same JS arithmetic as 1 − β₁ᵗ on numbers: bit-identical)
      const t = nextCount(state.count);
      const c1 = pureCallback((o, td) => { o[0] = 1 - b1 ** td[0]!; }, [t], [], "float64");
      const c2 = pureCallback((o, td) => { o[0] = 1 - b2 ** td[0]!; }, [t], [], "float64");
      // one fused pass per leaf (adamStep equals the composed ops bit for bit)
      const [gl, def] = treeFlatten(updates);
      const ml = treeFlatten(state.mu)[0], vl = treeFlatten(state.nu)[0];
      const mu: Tensor[] = [], nu: Tensor[] = [], out: Tensor[] = [];
      gl.forEach((g, i) => {
        const [m, v, u] = adamStep(ml[i]!, vl[i]!, g, { b1, b2, c1, c2, eps, epsRoot });
        mu.push(m); nu.push(v); out.push(u);
      });
      return [treeUnflatten(def, out) as T, { count: t, mu: treeUnflatten(def, mu), nu: treeUnflatten(def, nu) }];
    },
  };
}
