import { type Tensor, type Tree, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { UsageError } from "./errors.js";

/** Map over the leaves of `updates` with the matching leaves of `params`, checking structure and shapes. @internal */
export function mapWithParams<T extends Tree>(fn: string, updates: T, params: Tree | undefined, f: (u: Tensor, p: Tensor, i: number) => Tensor): T {
  if (params === undefined) throw new UsageError(fn, "needs the current parameters: call update(updates, state, params)");
  const [ul, def] = treeFlatten(updates);
  const pl = treeFlatten(params)[0];
  if (pl.length !== ul.length) throw new UsageError(fn, `params have ${pl.length} tensors but updates have ${ul.length}`);
  return treeUnflatten<T>(def, ul.map((u, i) => {
    const p = pl[i]!;
    if (p.shape.length !== u.shape.length || p.shape.some((d, j) => d !== u.shape[j])) {
      throw new UsageError(fn, `param ${i} has shape [${p.shape.join(", ")}] but its update has [${u.shape.join(", ")}]`);
    }
    return f(u, p, i);
  }));
}

/** Check that a state tree has as many leaves as the updates (catches states of another model). @internal */
export function checkLeafCount(fn: string, what: string, state: Tree, updates: Tree): void {
  const n = treeFlatten(state)[0].length, m = treeFlatten(updates)[0].length;
  if (n !== m) throw new UsageError(fn, `${what} holds ${n} tensors but updates have ${m}: was the state initialised for these parameters?`);
}
