import { type Tensor, type Tree, add, mul, scalar, tensor, treeMap, treeScale, treeSquaredNorm, treeSub, valueAndGrad, vjp } from "@regularize/core-autodiff";
import { OptionError, UsageError } from "./errors.js";
import type { Loss } from "./loss.js";
import { checkNumber } from "./validate.js";

/**
 * Per-example losses ℓ_i: an array of scalar losses, or one function returning the vector
 * [ℓ_1 … ℓ_I] (shape [I]). L = (1/I)·Σ ℓ_i is their mean.
 */
export type PerExampleLosses<T extends Tree = Tree> = readonly Loss<T>[] | ((params: T) => Tensor);

/** The per-example gradients ∇ℓ_i at p (differentiable under an outer grad). */
function perExampleGradients<T extends Tree>(fn: string, losses: PerExampleLosses<T>, p: T): T[] {
  if (Array.isArray(losses)) return (losses as readonly Loss<T>[]).map((l) => valueAndGrad(l)(p)[1]);
  const [out, back] = vjp(losses as (q: T) => Tensor, p);
  if (out.ndim !== 1) throw new UsageError(fn, `perExampleLosses must return a vector [I], got shape [${out.shape.join(", ")}]`);
  const I = out.shape[0]!;
  // one reverse pass per example with the cotangent e_i gives ∇ℓ_i
  return Array.from({ length: I }, (_, i) => {
    const e = new Float64Array(I);
    e[i] = 1;
    return back(tensor(e, { dtype: out.dtype }));
  });
}

/**
 * The expected SGD regularizer over random partitions into equal batches of size b (sampling
 * without replacement; CHAPTER9 §2 fig 9.4):
 * E[(α/(4B))·Σ_b‖∇L_b − ∇L‖²] = (α/4)·(1/b)·((I − b)/(I − 1))·(1/I)·Σ_i ‖∇ℓ_i − ∇L‖².
 * 0 for full batch (b = I); (α/(4I))·Σ_i‖∇ℓ_i − ∇L‖² for b = 1.
 */
export function expectedSgdTerm<T extends Tree>(perExampleLosses: PerExampleLosses<T>, alpha: number, batchSize: number): Loss<T> {
  const fn = "expectedSgdTerm";
  const a = checkNumber(fn, "alpha", alpha, { min: 0 });
  const isArray = Array.isArray(perExampleLosses);
  if (!isArray && typeof perExampleLosses !== "function") throw new OptionError(fn, "perExampleLosses", "must be an array of losses or a function returning the vector of per-example losses");
  if (isArray && (perExampleLosses as readonly unknown[]).length === 0) throw new OptionError(fn, "perExampleLosses", "must not be empty");
  const b = checkNumber(fn, "batchSize", batchSize, { integer: true, min: 1 });
  return (p: T) => {
    const grads = perExampleGradients(fn, perExampleLosses, p);
    const I = grads.length;
    if (b > I) throw new OptionError(fn, "batchSize", `must be ≤ the number of examples ${I}, got ${b}`);
    if (I === 1) return mul(treeSquaredNorm(grads[0]!), 0);
    const mean = treeScale(grads.slice(1).reduce((s, g) => treeMap((x, y) => add(x, y!), s, g), grads[0]!), 1 / I);
    let acc: Tensor = scalar(0);
    for (const g of grads) acc = add(acc, treeSquaredNorm(treeSub(g, mean)));
    return mul(acc, (a / 4) * (1 / b) * ((I - b) / (I - 1)) * (1 / I));
  };
}
