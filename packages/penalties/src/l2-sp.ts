import type { Plugin, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { Tensor, mul, sub, sumSquares, type Tree } from "@regularize/core-autodiff";
import { check, PenaltyOptionError, requireNonNegative, requireOptions } from "./errors.js";
import { type ParamMask, selectLeaves, subtreeAt, weightsOnly } from "./paths.js";
import { sumTerms } from "./sum-terms.js";

/** Options of {@link l2sp}. */
export interface L2SpOptions {
  /** α ≥ 0: weight of Σ(φ − φ⁰)² over the tensors that have a pretrained value (the "starting point"). */
  readonly alpha: number;
  /** β ≥ 0: weight of plain L2 Σφ² over the selected tensors without a pretrained value (a new head). Default 0. */
  readonly beta?: number;
  /**
   * The pretrained parameters φ⁰: a tree shaped like the parameters or a partial tree (e.g.
   * `{ trunk: pretrained.trunk }`); a leaf it lacks is "new" and gets β instead of α.
   * `"initial"`: the parameters the fit starts from (every tensor anchored; saved with the run's
   * state so a resumed fit keeps the original anchor) — for fits started from pretrained weights.
   */
  readonly pretrained: Tree | "initial";
  /** Which tensors are penalised at all. Default: `weightsOnly` (biases skipped). */
  readonly mask?: ParamMask;
  /** Plugin name (default "l2sp"). */
  readonly name?: string;
}
const L2SP_KEYS: OptionKeys<L2SpOptions> = { alpha: true, beta: true, pretrained: true, mask: true, name: true };

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * L2-SP (Li, Grandvalet & Davoine 2018): α·Σ_{pretrained}(φ − φ⁰)² + β·Σ_{new}φ², as a
 * differentiable scalar (the book's convention: no hidden ½). Gradient 2α(φ − φ⁰) resp. 2βφ.
 */
export function l2spPenalty(params: Tree, options: L2SpOptions & { readonly pretrained: Tree }): Tensor {
  requireOptions("l2spPenalty", options);
  const plugin = options.name ?? "l2sp";
  const alpha = requireNonNegative(plugin, "alpha", options.alpha);
  const beta = requireNonNegative(plugin, "beta", options.beta ?? 0);
  const terms: Tensor[] = [];
  for (const { path, leaf } of selectLeaves(params, options.mask ?? weightsOnly)) {
    const c = subtreeAt(options.pretrained, path);
    if (c === undefined) {
      if (beta > 0) terms.push(mul(sumSquares(leaf), beta));
      continue;
    }
    if (!(c instanceof Tensor)) throw new PenaltyOptionError(plugin, "pretrained", `at "${path}" is a sub-tree, not a tensor`);
    if (!sameShape(c.shape, leaf.shape)) throw new PenaltyOptionError(plugin, "pretrained", `at "${path}" has shape [${c.shape.join(", ")}], the parameter has [${leaf.shape.join(", ")}]`);
    const c0 = c.dtype === leaf.dtype ? c : new Tensor(leaf.dtype === "float32" ? Float32Array.from(c.data) : Float64Array.from(c.data), c.shape, leaf.dtype);
    if (alpha > 0) terms.push(mul(sumSquares(sub(leaf, c0)), alpha));
  }
  return sumTerms(terms, params);
}

/**
 * L2-SP: fine-tune while penalising the distance to the pretrained weights ("starting point"),
 * and plain L2 on the new layers. The pretrained tree is copied at creation, so later changes to
 * it do not move the anchor.
 * @example l2sp({ alpha: 1e-3, beta: 1e-4, pretrained: { trunk: pretrained.trunk } })
 */
export function l2sp(options: L2SpOptions): Plugin {
  const name = check.plugin("l2sp", options, L2SP_KEYS);
  requireNonNegative(name, "alpha", options.alpha);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  requireNonNegative(name, "beta", optionOr(options.beta, 0));
  const pre = options.pretrained;
  if (pre === "initial") {
    let anchor: Tree | undefined;
    return {
      name,
      beforeFit: (ctx) => { if (!ctx.resumed) anchor = copyTree(ctx.params); },
      penalty: (params) => {
        if (anchor === undefined) throw new PenaltyOptionError(name, "pretrained", `"initial" has no anchor yet (the plugin must run inside fit)`);
        return l2spPenalty(params, { ...options, pretrained: anchor });
      },
      saveState: () => ({ anchor }),
      loadState: (s) => {
        const a = (s as { anchor?: Tree } | undefined)?.anchor;
        if (a === undefined || a === null || typeof a !== "object") throw new PenaltyOptionError(name, "state", `must be { anchor } saved by l2sp`);
        anchor = a;
      },
    };
  }
  if (pre === null || typeof pre !== "object") throw new PenaltyOptionError(name, "pretrained", `must be a (partial) parameter tree or "initial"`);
  const frozen = { ...options, pretrained: copyTree(pre) };
  return { name, penalty: (params) => l2spPenalty(params, frozen) };
}

function copyTree(t: Tree): Tree {
  if (t instanceof Tensor) return new Tensor(t.data.slice(), t.shape, t.dtype);
  if (Array.isArray(t)) return t.map(copyTree) as Tree;
  return Object.fromEntries(Object.entries(t as Record<string, Tree>).map(([k, v]) => [k, copyTree(v)])) as Tree;
}
