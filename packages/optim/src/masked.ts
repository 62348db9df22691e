import { type PRNGKey, type Tensor, type Tree, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { OptionError, UsageError } from "./errors.js";
import { type Mask, defaultMask, resolveMask } from "./mask.js";
import type { Transformation } from "./transformation.js";

/**
 * Apply `inner` only to the tensors the mask selects; the others pass through unchanged (optax's
 * masked). The inner transform sees just the selected tensors, as an array in leaf order, so its
 * state and any global quantity it computes (clipByGlobalNorm's norm) ignore the rest.
 * Default mask: "weights" (tensors with ≥ 2 dims, i.e. biases skipped; see `Mask`).
 */
export function masked<S>(inner: Transformation<S>, mask: Mask = defaultMask): Transformation<S> {
  const fn = "masked";
  if (inner === null || typeof inner !== "object" || typeof inner.init !== "function" || typeof inner.update !== "function") {
    throw new OptionError(fn, "inner", "must be a transformation { init, update }");
  }
  const pick = (leaves: readonly Tensor[], on: readonly boolean[]): Tensor[] => leaves.filter((_, i) => on[i]);
  const out: Transformation<S> = {
    init(params: Tree): S {
      const leaves = treeFlatten(params)[0];
      return inner.init(pick(leaves, resolveMask(fn, mask, params)));
    },
    update<T extends Tree>(updates: T, state: S, params?: Tree, step?: number, key?: PRNGKey): [T, S] {
      const [ul, def] = treeFlatten(updates);
      // the mask is resolved on the params when given (their shapes equal the updates')
      const on = resolveMask(fn, mask, params ?? updates);
      if (on.length !== ul.length) throw new UsageError(fn, `params have ${on.length} tensors but updates have ${ul.length}`);
      const pl = params === undefined ? undefined : pick(treeFlatten(params)[0], on);
      const [inner2, next] = inner.update(pick(ul, on), state, pl, step, key);
      const innerLeaves = treeFlatten(inner2)[0];
      let k = 0;
      const merged = ul.map((u, i) => (on[i] ? innerLeaves[k++]! : u));
      return [treeUnflatten<T>(def, merged), next];
    },
  };
  if (inner.hyperparams) out.hyperparams = inner.hyperparams.bind(inner);
  return out;
}
