import { type Tree, add, astype, treeMap } from "@regularize/core-autodiff";

/** φ + u leafwise (updates are added, as in optax); each result keeps its parameter's dtype. */
export function applyUpdates<T extends Tree>(params: T, updates: Tree): T {
  return treeMap((p, u) => {
    const s = add(p, u!);
    return s.dtype === p.dtype ? s : astype(s, p.dtype);
  }, params, updates);
}
