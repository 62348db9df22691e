import type { Plugin, OptionKeys } from "@regularize/core-train";
import { abs, eq, mul, pow, sum, where, type Tensor, type Tree } from "@regularize/core-autodiff";
import { check, requireNonNegative, requirePositive, requireOptions, requireTensor } from "./errors.js";
import { type ParamMask, selectLeaves, weightsOnly } from "./paths.js";
import { sumTerms } from "./sum-terms.js";

/** Options of {@link lp}. */
export interface LpOptions {
  /** λ ≥ 0, the weight of g_P(φ) = Σ|φ|^P. */
  readonly lambda: number;
  /** The exponent P > 0 (problem 9.6; P < 1 is non-convex and sparsity-inducing). */
  readonly p: number;
  /** Which tensors are penalised. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Plugin name (default "lp"). */
  readonly name?: string;
}
const LP_KEYS: OptionKeys<LpOptions> = { lambda: true, p: true, mask: true, name: true };

/**
 * Σ|x|^P for one tensor. For P < 1 the derivative P|x|^(P−1) is infinite at 0; we evaluate the power
 * on |x| with zeros replaced by 1 and select 0 back, so the value is exact and the (sub)gradient
 * at an exact zero is 0 instead of NaN (0·∞).
 */
export function lpSum(x: Tensor, p: number): Tensor {
  // exported on its own: the same P > 0 as lp/lpPenalty (a negative P gave ∞ for small weights without a word)
  requireTensor("lpSum", "x", x);
  requirePositive("lpSum", "p", p);
  const isZero = eq(x, 0);
  const safe = where(isZero, 1, abs(x));
  return sum(where(isZero, 0, pow(safe, p)));
}

/** λ·g_P(φ) = λ·Σ_selected |φ|^P as a differentiable scalar (problem 9.6). */
export function lpPenalty(params: Tree, options: LpOptions): Tensor {
  requireOptions("lpPenalty", options);
  const name = options.name ?? "lp";
  const lambda = requireNonNegative(name, "lambda", options.lambda);
  const p = requirePositive(name, "p", options.p);
  const terms = selectLeaves(params, options.mask ?? weightsOnly).map(({ leaf }) => lpSum(leaf, p));
  return mul(sumTerms(terms, params), lambda);
}

/**
 * The L^P penalty of problem 9.6: adds λ·Σ|φ|^P (P > 0) to the loss.
 * @example lp({ lambda: 1e-3, p: 0.5 })
 */
export function lp(options: LpOptions): Plugin {
  const name = check.plugin("lp", options, LP_KEYS);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  requireNonNegative(name, "lambda", options.lambda);
  requirePositive(name, "p", options.p);
  return { name, penalty: (params) => lpPenalty(params, options) };
}
