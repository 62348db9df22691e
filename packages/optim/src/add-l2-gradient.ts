import { type Tree, add, mul } from "@regularize/core-autodiff";
import { type Mask, defaultMask, resolveMask, checkMask } from "./mask.js";
import type { EmptyState, Transformation } from "./transformation.js";
import { mapWithParams } from "./tree-util.js";
import { checkNumber, checkOptions, checkUpdateArgs } from "./validate.js";

/** Options of `addL2Gradient`. */
export interface AddL2GradientOptions {
  /** λ ≥ 0 of the book's penalty λ·Σφ² (eq. 9.5): the gradient gains 2λ·φ. */
  readonly lambda: number;
  /** Which tensors are penalised (default "weights": biases are left alone; see `Mask`). */
  readonly mask?: Mask;
}

/**
 * Coupled L2: add the gradient 2λφ of λ·Σφ² (UDL eq. 9.5) to the raw gradient, *before* the
 * preconditioner — what "Adam with weight_decay" does in PyTorch (with λ = weight_decay/2).
 */
export function addL2Gradient(options: AddL2GradientOptions): Transformation<EmptyState> {
  const fn = "addL2Gradient";
  checkOptions(fn, options, { lambda: true, mask: true });
  const lambda = checkNumber(fn, "lambda", options.lambda, { min: 0 });
  const mask = options.mask === undefined ? defaultMask : checkMask(fn, "mask", options.mask);
  // 2λ once, so that λ = wd/2 reproduces wd·φ bit for bit (PyTorch's coupled weight_decay)
  const twoLambda = 2 * lambda;
  return {
    init: () => ({}),
    update<T extends Tree>(updates: T, state: EmptyState, params?: Tree): [T, EmptyState] {
      checkUpdateArgs(fn, updates, state);
      const on = params === undefined ? [] : resolveMask(fn, mask, params);
      return [mapWithParams(fn, updates, params, (u, p, i) => (on[i] && lambda !== 0 ? add(u, mul(p, twoLambda)) : u)), state];
    },
  };
}
