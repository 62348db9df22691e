import { Tensor, type Tree } from "@regularize/core-autodiff";

/**
 * Chooses which parameter tensors a penalty touches: called with the leaf's dotted path
 * (`"layers[0].w"`, as core-train's `leafPaths`) and the tensor. The default skips biases (tensors with fewer than 2 dims).
 */
export type ParamMask = (path: string, leaf: Tensor) => boolean;

/** The project-wide default: weights (≥ 2 dims) yes, biases and scalars no (DESIGN "sane defaults"). */
export const weightsOnly: ParamMask = (_path, leaf) => leaf.ndim >= 2;

/** Every tensor, biases included (e.g. the figure 9.1 regularizer or a Gaussian prior on all of φ). */
export const allParams: ParamMask = () => true;

/** A leaf with its dotted path from the root of a tree. */
export interface PathLeaf {
  readonly path: string;
  readonly leaf: Tensor;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

// Same path syntax as core-train's leafPaths ("layers[0].w"), so masks and error messages agree.
const join = (prefix: string, key: string | number): string =>
  typeof key === "number" ? `${prefix}[${key}]` : prefix === "" ? key : `${prefix}.${key}`;

/** Leaves with their paths, in the same order as `treeFlatten` (object keys sorted). */
export function leavesWithPaths(tree: Tree, prefix = ""): PathLeaf[] {
  const out: PathLeaf[] = [];
  const walk = (t: unknown, path: string): void => {
    if (t instanceof Tensor) out.push({ path, leaf: t });
    else if (Array.isArray(t)) t.forEach((c, i) => walk(c, join(path, i)));
    else if (isPlainObject(t)) for (const k of Object.keys(t).sort()) walk(t[k], join(path, k));
  };
  walk(tree, prefix);
  return out;
}

/** Rebuild `tree` with each leaf replaced by `fn(path, leaf)` (structure, arrays and key order kept). */
export function mapWithPaths<T extends Tree>(tree: T, fn: (path: string, leaf: Tensor) => Tensor, prefix = ""): T {
  const walk = (t: unknown, path: string): unknown => {
    if (t instanceof Tensor) return fn(path, t);
    if (Array.isArray(t)) return t.map((c, i) => walk(c, join(path, i)));
    if (isPlainObject(t)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(t)) o[k] = walk(t[k], join(path, k));
      return o;
    }
    return t;
  };
  return walk(tree, prefix) as T;
}

/** The sub-tree at a dotted path, or undefined when a partial tree (e.g. an L2 centre) has nothing there. */
export function subtreeAt(tree: Tree | undefined, path: string): Tree | undefined {
  if (tree === undefined) return undefined;
  if (path === "") return tree;
  let t: unknown = tree;
  for (const part of path.split(/[.[\]]+/).filter((q) => q !== "")) {
    if (t instanceof Tensor || t === null || typeof t !== "object") return undefined;
    t = (t as Record<string, unknown>)[part];
    if (t === undefined) return undefined;
  }
  return t as Tree;
}

/** The selected leaves of `params` under `mask`. */
export function selectLeaves(params: Tree, mask: ParamMask): PathLeaf[] {
  return leavesWithPaths(params).filter(({ path, leaf }) => mask(path, leaf));
}
