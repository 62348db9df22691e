import { add, scalar, type Tensor, type Tree, treeLeaves } from "@regularize/core-autodiff";

/**
 * Σ of scalar terms as one differentiable scalar; an empty sum is a zero of the parameters' dtype
 * (so a float32 model never meets a float64 zero and trips a dtype check).
 */
export function sumTerms(terms: readonly Tensor[], like: Tree): Tensor {
  let acc: Tensor | undefined;
  for (const t of terms) acc = acc === undefined ? t : add(acc, t);
  if (acc !== undefined) return acc;
  const first = treeLeaves(like)[0];
  return scalar(0, first !== undefined && first.dtype !== "int32" ? first.dtype : "float64");
}
