import type { Tree } from "@regularize/core-autodiff";
import { check, requireNonNegative, requireOptions } from "./errors.js";
import { type ParamMask, selectLeaves, weightsOnly } from "./paths.js";

/** Options of {@link l0Count}. */
export interface L0CountOptions {
  /** Which tensors are counted. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Entries with |φ| ≤ atol count as zero (default 0: only exact zeros). */
  readonly atol?: number;
}

/**
 * g₀(φ) = #{d : φ_d ≠ 0}, the P = 0 "norm" of problem 9.6 (|0|⁰ = 0). A metric: it has no useful
 * gradient, so it is a plain number, not a penalty.
 */
export function l0Count(params: Tree, options: L0CountOptions = {}): number {
  check.options("l0Count", requireOptions("l0Count", options), { atol: true, mask: true });
  const atol = requireNonNegative("l0Count", "atol", options.atol ?? 0);
  let n = 0;
  for (const { leaf } of selectLeaves(params, options.mask ?? weightsOnly)) {
    for (const v of leaf.data) if (Math.abs(v) > atol || Number.isNaN(v)) n++;
  }
  return n;
}
