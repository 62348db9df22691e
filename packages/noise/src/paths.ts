import { Tensor, type Tree } from "@regularize/core-autodiff";

/** Chooses which parameter tensors a weight-noise plugin perturbs, from the leaf's path ("layers[0].w") and value. */
export type ParamMask = (path: string, leaf: Tensor) => boolean;

/** Weight matrices only (≥ 2 dims): biases and scalars are left alone, as DropConnect prescribes. */
export const weightsOnly: ParamMask = (_path, leaf) => leaf.ndim >= 2;

/** Every tensor, biases included. */
export const allParams: ParamMask = () => true;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

// Same path syntax as core-train's leafPaths ("layers[0].w").
const join = (prefix: string, key: string | number): string =>
  typeof key === "number" ? `${prefix}[${key}]` : prefix === "" ? key : `${prefix}.${key}`;

/** Rebuild `tree` with each leaf replaced by `fn(path, leaf, index)`; index counts leaves in sorted-key order. */
export function mapWithPaths<T extends Tree>(tree: T, fn: (path: string, leaf: Tensor, index: number) => Tensor): T {
  let n = 0;
  const walk = (t: unknown, path: string): unknown => {
    if (t instanceof Tensor) return fn(path, t, n++);
    if (Array.isArray(t)) return t.map((c, i) => walk(c, join(path, i)));
    if (isPlainObject(t)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(t).sort()) o[k] = walk(t[k], join(path, k));
      return o;
    }
    return t;
  };
  return walk(tree, "") as T;
}
