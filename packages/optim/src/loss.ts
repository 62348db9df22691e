import type { Tensor, Tree } from "@regularize/core-autodiff";

/** A scalar loss (one-element tensor) as a function of the parameters: a tensor or a tree of tensors. */
export type Loss<T extends Tree = Tree> = (params: T) => Tensor;
