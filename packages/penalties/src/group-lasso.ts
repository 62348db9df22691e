import type { Plugin, OptionKeys } from "@regularize/core-train";
import { eq, mul, sqrt, square, sum, where, type Tensor, type Tree } from "@regularize/core-autodiff";
import { check, PenaltyOptionError, requireNonNegative, requireOptions } from "./errors.js";
import { type ParamMask, selectLeaves, weightsOnly } from "./paths.js";
import { sumTerms } from "./sum-terms.js";

/** Options of {@link groupLasso}. */
export interface GroupLassoOptions {
  /** λ ≥ 0, weight of Σ_groups ‖w_g‖₂. */
  readonly lambda: number;
  /**
   * The axis summed inside one group. Default 0: core-train's linear layer stores W as
   * [inputs, units] (y = x·W + b), so W[:, j] — unit j's incoming weights — is one group.
   */
  readonly axis?: number;
  /** Which weight matrices are grouped. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Multiply each group's norm by √(group size), as Yuan & Lin (2006). Default false. */
  readonly scaleBySize?: boolean;
  /** Plugin name (default "groupLasso"). */
  readonly name?: string;
}
const GROUP_LASSO_KEYS: OptionKeys<GroupLassoOptions> = { lambda: true, axis: true, mask: true, scaleBySize: true, name: true };

/**
 * Σ_j ‖W[..j..]‖₂ over groups along `axis`. The norm's gradient w/‖w‖ is 0/0 at a zero group; we take
 * the subgradient 0 there (norm of a masked 1 instead of 0), which keeps a pruned unit pruned.
 */
export function groupNorms(w: Tensor, axis: number): Tensor {
  const s = sum(square(w), { axis });
  const isZero = eq(s, 0);
  return where(isZero, 0, sqrt(where(isZero, 1, s)));
}

/** λ·Σ_units ‖incoming weights‖₂ as a differentiable scalar. */
export function groupLassoPenalty(params: Tree, options: GroupLassoOptions): Tensor {
  requireOptions("groupLassoPenalty", options);
  const name = options.name ?? "groupLasso";
  const lambda = requireNonNegative(name, "lambda", options.lambda);
  const axis = options.axis ?? 0;
  const terms = selectLeaves(params, options.mask ?? weightsOnly).map(({ path, leaf }) => {
    const ax = axis < 0 ? axis + leaf.ndim : axis;
    if (!Number.isInteger(ax) || ax < 0 || ax >= leaf.ndim) {
      throw new PenaltyOptionError(name, "axis", `${axis} is out of range for "${path}" of shape [${leaf.shape.join(", ")}]`);
    }
    const norms = groupNorms(leaf, ax);
    const groupSize = leaf.shape[ax]!;
    return sum(options.scaleBySize === true ? mul(norms, Math.sqrt(groupSize)) : norms);
  });
  return mul(sumTerms(terms, params), lambda);
}

/**
 * Group lasso over hidden units: adds λ·Σ_j ‖W[:, j]‖₂, which drives whole units (all their incoming
 * weights at once) to zero.
 * @example groupLasso({ lambda: 1e-3 })
 */
export function groupLasso(options: GroupLassoOptions): Plugin {
  const name = check.plugin("groupLasso", options, GROUP_LASSO_KEYS);
  requireNonNegative(name, "lambda", options.lambda);
  if (options.axis !== undefined) check.integer(name, "axis", options.axis, -32, 31);
  if (options.scaleBySize !== undefined) check.boolean(name, "scaleBySize", options.scaleBySize);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  return { name, penalty: (params) => groupLassoPenalty(params, options) };
}

/** Number of groups (units) whose incoming weights are all exactly zero, per weight matrix and in total. */
export function prunedGroups(params: Tree, options: { readonly axis?: number; readonly mask?: ParamMask } = {}): number {
  // as groupLasso's: a misspelled key would otherwise count with the defaults without a word
  check.options("prunedGroups", requireOptions("prunedGroups", options), { axis: true, mask: true });
  if (options.axis !== undefined) check.integer("prunedGroups", "axis", options.axis, -32, 31);
  if (options.mask !== undefined) check.func("prunedGroups", "mask", options.mask);
  let n = 0;
  for (const { leaf } of selectLeaves(params, options.mask ?? weightsOnly)) {
    const ax = (options.axis ?? 0) < 0 ? (options.axis ?? 0) + leaf.ndim : options.axis ?? 0;
    const s = sum(square(leaf), { axis: ax });
    for (const v of s.data) if (v === 0) n++;
  }
  return n;
}
