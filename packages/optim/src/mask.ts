import { type Tensor, type Tree, type TreeDef, treeFlatten } from "@regularize/core-autodiff";
import { UsageError } from "./errors.js";
import { describeValue, leavesWithPaths, maskInfo, weightsOnly } from "@regularize/core-train";
import { check } from "./validate.js";

/** A tree of booleans shaped like the parameters; a boolean at an inner node covers its whole subtree. */
export type MaskTree = boolean | readonly MaskTree[] | { readonly [key: string]: MaskTree };

/** Decide per tensor from the tensor and its path (e.g. `"layers[0].w"`). */
export type MaskPredicate = (leaf: Tensor, path: string) => boolean;

/**
 * Which parameter tensors a transform touches: a MaskTree, a predicate, or `"weights"` — tensors
 * with at least 2 dimensions (weight matrices, conv kernels) and, in a model without matrices,
 * the tensors of the largest rank: the book's parameter vector φ, or the shallow network's output
 * weights ω [K] but not its bias β []. Biases (of lower rank than the weights) are left alone.
 */
export type Mask = MaskTree | MaskPredicate | "weights";

/** The default mask of weight decay, L2 and `masked`: see `Mask` ("weights"). */
export const defaultMask = "weights" as const;

function isPlain(v: unknown): v is Record<string, MaskTree> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Expand a mask tree along a tree structure (a boolean covers a subtree, like optax's prefix masks). */
function expandMaskTree(fn: string, mask: MaskTree, def: TreeDef, path: string, out: boolean[]): void {
  if (typeof mask === "boolean") {
    const count = (d: TreeDef): number => (d.kind === "leaf" ? 1 : d.children.reduce((s, c) => s + count(c), 0));
    for (let i = count(def); i > 0; i--) out.push(mask);
    return;
  }
  const where = path === "" ? "the root" : `"${path}"`;
  if (def.kind === "leaf") throw new UsageError(fn, `mask has a subtree at ${where} where the parameters have a tensor`);
  if (def.kind === "array") {
    if (!Array.isArray(mask) || mask.length !== def.children.length) {
      throw new UsageError(fn, `mask at ${where} must be a boolean or an array of ${def.children.length} entries`);
    }
    def.children.forEach((c, i) => expandMaskTree(fn, (mask as readonly MaskTree[])[i]!, c, `${path}[${i}]`, out));
    return;
  }
  if (!isPlain(mask)) throw new UsageError(fn, `mask at ${where} must be a boolean or an object with keys ${def.keys.join(", ")}`);
  const extra = Object.keys(mask).filter((k) => !def.keys.includes(k));
  if (extra.length > 0) throw new UsageError(fn, `mask at ${where} has keys the parameters lack: ${extra.join(", ")}`);
  def.keys.forEach((k, i) => {
    const m = mask[k];
    if (m === undefined) throw new UsageError(fn, `mask at ${where} lacks key "${k}"`);
    expandMaskTree(fn, m, def.children[i]!, path === "" ? k : `${path}.${k}`, out);
  });
}

/**
 * Check a mask option at construction: "weights", a predicate, or a mask tree (booleans in records
 * and arrays; its structure is matched against the parameters at the first update). @internal
 */
export function checkMask(fn: string, option: string, mask: unknown): Mask {
  const ok = mask === "weights" || typeof mask === "function" || typeof mask === "boolean" || (typeof mask === "object" && mask !== null);
  if (!ok) check.fail(fn, option, `must be "weights", a predicate (leaf, path) => boolean or a tree of booleans, got ${describeValue(mask)}`);
  return mask as Mask;
}

/** One boolean per leaf of `tree` (treeFlatten order). `fn` names the caller in errors. */
export function resolveMask(fn: string, mask: Mask, tree: Tree): boolean[] {
  if (typeof fn !== "string") throw new UsageError("resolveMask", `fn must be the name of the calling function (a string), got ${typeof fn}`);
  if (mask === "weights") {
    const info = maskInfo(tree);
    return leavesWithPaths(tree).map(({ leaf, path }) => weightsOnly(path, leaf, info));
  }
  if (typeof mask === "function") return leavesWithPaths(tree).map(({ leaf, path }) => Boolean(mask(leaf, path)));
  const out: boolean[] = [];
  expandMaskTree(fn, mask, treeFlatten(tree)[1], "", out);
  return out;
}
