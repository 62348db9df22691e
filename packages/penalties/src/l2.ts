import type { OptionKeys, Plugin } from "@regularize/core-train";
import { Tensor, mul, sub, sumSquares, type Tree } from "@regularize/core-autodiff";
import { PenaltyOptionError, check, requireNonNegative, requireOptions } from "./errors.js";
import { type ParamMask, selectLeaves, subtreeAt, weightsOnly } from "./paths.js";
import { sumTerms } from "./sum-terms.js";

/** Options of {@link l2}. */
export interface L2Options {
  /** λ ≥ 0, the weight of Σ(φ−c)² in the loss (eq. 9.5; no hidden ½). */
  readonly lambda: number;
  /**
   * The centre c: a tree shaped like the parameters, or a partial tree (only the leaves it has are
   * shifted; a missing leaf means c = 0). A number leaf broadcasts. Default: 0 everywhere.
   */
  readonly center?: Tree;
  /** Which tensors are penalised. Default: `weightsOnly` (weights, not biases; see the README). */
  readonly mask?: ParamMask;
  /** Plugin name (default "l2"); set it to use two L2 plugins side by side. */
  readonly name?: string;
}
const L2_KEYS: OptionKeys<L2Options> = { lambda: true, center: true, mask: true, name: true };

function centerAt(center: Tree | undefined, path: string, leaf: Tensor, plugin: string): Tensor | undefined {
  const c = subtreeAt(center, path);
  if (c === undefined) return undefined;
  if (!(c instanceof Tensor)) throw new PenaltyOptionError(plugin, "center", `at "${path}" is a sub-tree, not a tensor`);
  if (c.size !== 1 && (c.shape.length !== leaf.shape.length || c.shape.some((d, i) => d !== leaf.shape[i]))) {
    throw new PenaltyOptionError(plugin, "center", `at "${path}" has shape [${c.shape.join(", ")}], the parameter has [${leaf.shape.join(", ")}]`);
  }
  return c.dtype === leaf.dtype ? c : new Tensor(leaf.dtype === "float32" ? Float32Array.from(c.data) : Float64Array.from(c.data), c.shape, leaf.dtype);
}

/** λ·Σ_selected (φ − c)² as a differentiable scalar (eq. 9.5; gradient 2λ(φ − c), problem 9.2). */
export function l2Penalty(params: Tree, options: L2Options): Tensor {
  requireOptions("l2Penalty", options);
  const plugin = options.name ?? "l2";
  const lambda = requireNonNegative(plugin, "lambda", options.lambda);
  const terms = selectLeaves(params, options.mask ?? weightsOnly).map(({ path, leaf }) => {
    const c = centerAt(options.center, path, leaf, plugin);
    return sumSquares(c === undefined ? leaf : sub(leaf, c));
  });
  return mul(sumTerms(terms, params), lambda);
}

/**
 * Coupled L2 regularization (ridge, "weight decay" of eq. 9.5): adds λ·Σ(φ − c)² to the loss.
 * @example l2({ lambda: 0.2, center: { phi: tensor([0, 12.5]) }, mask: () => true }) // figure 9.1
 */
export function l2(options: L2Options): Plugin {
  const name = check.plugin("l2", options, L2_KEYS);
  requireNonNegative(name, "lambda", options.lambda);
  if (options.center !== undefined) check.tree(name, "center", options.center);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  return { name, penalty: (params) => l2Penalty(params, options) };
}
