import type { OptionKeys, Plugin } from "@regularize/core-train";
import { abs, mul, sum, type Tensor, type Tree } from "@regularize/core-autodiff";
import { check, requireNonNegative, requireOptions } from "./errors.js";
import { type ParamMask, selectLeaves, weightsOnly } from "./paths.js";
import { sumTerms } from "./sum-terms.js";

/** Options of {@link l1}. */
export interface L1Options {
  /** λ ≥ 0, the weight of Σ|φ| (the lasso penalty, P = 1 of problem 9.6). */
  readonly lambda: number;
  /** Which tensors are penalised. Default: tensors with ≥ 2 dims (biases are skipped). */
  readonly mask?: ParamMask;
  /** Plugin name (default "l1"). */
  readonly name?: string;
}
const L1_KEYS: OptionKeys<L1Options> = { lambda: true, mask: true, name: true };

/** λ·Σ_selected |φ| as a differentiable scalar (subgradient sign(φ), 0 at 0). */
export function l1Penalty(params: Tree, options: L1Options): Tensor {
  requireOptions("l1Penalty", options);
  const lambda = requireNonNegative(options.name ?? "l1", "lambda", options.lambda);
  const terms = selectLeaves(params, options.mask ?? weightsOnly).map(({ leaf }) => sum(abs(leaf)));
  return mul(sumTerms(terms, params), lambda);
}

/**
 * L1 (lasso) regularization: adds λ·Σ|φ| to the loss. Plain (sub)gradient steps hover around 0;
 * pair with {@link l1Prox} when exact zeros are wanted.
 * @example l1({ lambda: 1e-3 })
 */
export function l1(options: L1Options): Plugin {
  const name = check.plugin("l1", options, L1_KEYS);
  requireNonNegative(name, "lambda", options.lambda);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  return { name, penalty: (params) => l1Penalty(params, options) };
}
