import { Tensor, type Tree, type TreeDef, treeFlatten } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { describeValue } from "./plugin-options.js";

/** A leaf of a parameter tree with its dotted path from the root (`"layers[0].w"`; `""` for a bare tensor). */
export interface PathLeaf {
  readonly path: string;
  readonly leaf: Tensor;
}

const join = (prefix: string, key: string | number): string =>
  typeof key === "number" ? `${prefix}[${key}]` : prefix === "" ? key : `${prefix}.${key}`;

/**
 * The leaves of a tree with their paths, in `treeFlatten` order (object keys sorted). Paths come
 * from the TreeDef, so they can never fall out of step with core-autodiff's leaf order.
 */
export function leavesWithPaths(tree: Tree): PathLeaf[] {
  const [leaves, def] = treeFlatten(tree);
  const paths: string[] = [];
  const walk = (d: TreeDef, path: string): void => {
    if (d.kind === "leaf") paths.push(path);
    else if (d.kind === "array") d.children.forEach((c, i) => walk(c, join(path, i)));
    else d.keys.forEach((k, i) => walk(d.children[i]!, join(path, k)));
  };
  walk(def, "");
  return leaves.map((leaf, i) => ({ leaf, path: paths[i]! }));
}

/** Human-readable paths of a tree's leaves in treeFlatten order; a bare tensor is "(root)". Used to name leaves in errors. */
export function leafPaths(tree: Tree): string[] {
  return leavesWithPaths(tree).map(({ path }) => (path === "" ? "(root)" : path));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Rebuild `tree` with each leaf replaced by `fn(path, leaf, index)`; keys are visited sorted, so `index` is the treeFlatten index. */
export function mapWithPaths<T extends Tree>(tree: T, fn: (path: string, leaf: Tensor, index: number) => Tensor): T {
  if (typeof fn !== "function") throw new FitOptionsError("fn", "must be a function (path, leaf, index) => Tensor", "mapWithPaths");
  let n = 0;
  const walk = (t: unknown, path: string): unknown => {
    if (t instanceof Tensor) {
      const out = fn(path, t, n++);
      // a non-tensor would make the rebuilt tree silently not a tree of tensors
      if (!(out instanceof Tensor)) throw new FitOptionsError("fn", `must return a Tensor, got ${describeValue(out)} for leaf ${JSON.stringify(path)}`, "mapWithPaths");
      return out;
    }
    if (Array.isArray(t)) return t.map((c, i) => walk(c, join(path, i)));
    if (isPlainObject(t)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(t).sort()) o[k] = walk(t[k], join(path, k));
      return o;
    }
    // not a tree node (a string, a number…): fail as treeFlatten does, naming the path, rather than pass it through
    treeFlatten(tree);
    return t;
  };
  return walk(tree, "") as T;
}

/** What a mask may know about the whole tree besides one leaf. */
export interface MaskInfo {
  /** The largest rank among the tree's tensors. */
  readonly maxRank: number;
}

/** Chooses which parameter tensors a technique touches, from the leaf's path, the tensor and the tree. */
export type ParamMask = (path: string, leaf: Tensor, info: MaskInfo) => boolean;

/**
 * The project-wide default for weight decay, L2 and weight noise: weight matrices and kernels
 * (≥ 2 dims) and, in a model without matrices, the tensors of the largest rank — the book's φ, or the
 * shallow network's ω [K] but not its bias β []. Biases (of lower rank than the weights) are left alone.
 */
export const weightsOnly: ParamMask = (_path, leaf, info) => {
  if (!(leaf instanceof Tensor)) throw new FitOptionsError("leaf", "must be a Tensor", "weightsOnly");
  return leaf.ndim >= 2 || leaf.ndim === info?.maxRank;
};

/** Every tensor, biases included (e.g. the figure 9.1 regularizer, or a Gaussian prior on all of φ). */
export const allParams: ParamMask = () => true;

/** The MaskInfo of a tree. */
export function maskInfo(tree: Tree): MaskInfo {
  return { maxRank: treeFlatten(tree)[0].reduce((m, l) => Math.max(m, l.ndim), 0) };
}

/** The leaves of `tree` selected by `mask`, with their paths. */
export function selectLeaves(tree: Tree, mask: ParamMask): PathLeaf[] {
  if (typeof mask !== "function") throw new FitOptionsError("mask", "must be a ParamMask function", "selectLeaves");
  const info = maskInfo(tree);
  return leavesWithPaths(tree).filter(({ path, leaf }) => mask(path, leaf, info));
}

/** Rebuild `tree` applying `fn` to the leaves selected by `mask` (the others are kept as they are). */
export function mapSelected<T extends Tree>(tree: T, mask: ParamMask, fn: (path: string, leaf: Tensor, index: number) => Tensor): T {
  if (typeof mask !== "function") throw new FitOptionsError("mask", "must be a ParamMask function", "mapSelected");
  const info = maskInfo(tree);
  return mapWithPaths(tree, (path, leaf, i) => (mask(path, leaf, info) ? fn(path, leaf, i) : leaf));
}
