import { type Tree, add, mul, scalar, treeMap, treeScale, treeSquaredNorm, treeSub, valueAndGrad, type Tensor } from "@regularize/core-autodiff";
import { OptionError } from "./errors.js";
import type { Loss } from "./loss.js";
import { checkNumber } from "./validate.js";

// Every function here builds its gradients with core-autodiff's nested `valueAndGrad`: called under
// an outer `grad`, the inner gradients stay on the tape, so differentiating the modified loss gives
// the exact ∇L + (α/2)·H∇L (double backprop), not a finite-difference approximation.

function checkLoss(fn: string, option: string, loss: unknown): void {
  if (typeof loss !== "function") throw new OptionError(fn, option, "must be a function of the parameters returning a scalar tensor");
}

function checkBatchLosses(fn: string, batchLosses: readonly unknown[]): void {
  if (!Array.isArray(batchLosses) || batchLosses.length === 0) throw new OptionError(fn, "batchLosses", "must be a non-empty array of batch losses");
  batchLosses.forEach((l, i) => checkLoss(fn, `batchLosses[${i}]`, l));
}

/** (α/4)·‖∇L(φ)‖²: the implicit regularizer of gradient descent with step α (UDL eq. 9.8, Barrett & Dherin). */
export function implicitGdTerm<T extends Tree>(loss: Loss<T>, alpha: number): Loss<T> {
  const fn = "implicitGdTerm";
  checkLoss(fn, "loss", loss);
  const a = checkNumber(fn, "alpha", alpha, { min: 0 });
  return (p: T) => mul(treeSquaredNorm(valueAndGrad(loss)(p)[1]), a / 4);
}

/**
 * The loss whose gradient flow gradient descent with step α follows to second order (UDL eq. 9.8):
 * L̃_GD(φ) = L(φ) + (α/4)·‖∇L(φ)‖², so ∇L̃ = ∇L + (α/2)·H∇L exactly (nested grad). Works for trees.
 */
export function modifiedLossGD<T extends Tree>(loss: Loss<T>, alpha: number): Loss<T> {
  const fn = "modifiedLossGD";
  checkLoss(fn, "loss", loss);
  const a = checkNumber(fn, "alpha", alpha, { min: 0 });
  return (p: T) => {
    const [value, g] = valueAndGrad(loss)(p);
    return add(value, mul(treeSquaredNorm(g), a / 4));
  };
}

/** Values and gradients of the batch losses, their mean L and mean gradient ∇L. */
function batchGradients<T extends Tree>(batchLosses: readonly Loss<T>[], p: T): { values: Tensor[]; grads: T[]; mean: Tensor; meanGrad: T } {
  const values: Tensor[] = [], grads: T[] = [];
  for (const l of batchLosses) {
    const [v, g] = valueAndGrad(l)(p);
    values.push(v);
    grads.push(g);
  }
  const B = batchLosses.length;
  const mean = mul(values.reduce((s, v) => add(s, v)), 1 / B);
  const meanGrad = treeScale(grads.slice(1).reduce((s, g) => treeMap((x, y) => add(x, y!), s, g), grads[0]!), 1 / B);
  return { values, grads, mean, meanGrad };
}

/**
 * The extra implicit regularizer of SGD (UDL eq. 9.9, Smith et al. 2021): (α/(4B))·Σ_b ‖∇L_b − ∇L‖²
 * over the B batches of one partition, where L = (1/B)·Σ_b L_b. Pass equal-size batches with mean
 * losses, so that L is the mean loss over the data. ≥ 0; 0 for one batch (full batch).
 */
export function implicitSgdTerm<T extends Tree>(batchLosses: readonly Loss<T>[], alpha: number): Loss<T> {
  const fn = "implicitSgdTerm";
  checkBatchLosses(fn, batchLosses);
  const a = checkNumber(fn, "alpha", alpha, { min: 0 });
  const B = batchLosses.length;
  return (p: T) => {
    const { grads, meanGrad } = batchGradients(batchLosses, p);
    let acc: Tensor = scalar(0);
    for (const g of grads) acc = add(acc, treeSquaredNorm(treeSub(g, meanGrad)));
    return mul(acc, a / (4 * B));
  };
}

/**
 * SGD's modified loss (UDL eq. 9.9): L̃_SGD = L + (α/4)‖∇L‖² + (α/(4B))·Σ_b ‖∇L_b − ∇L‖², with
 * L = (1/B)·Σ_b L_b the mean of the B batch losses of a partition (equal-size batches, mean losses).
 */
export function modifiedLossSGD<T extends Tree>(batchLosses: readonly Loss<T>[], alpha: number): Loss<T> {
  const fn = "modifiedLossSGD";
  checkBatchLosses(fn, batchLosses);
  const a = checkNumber(fn, "alpha", alpha, { min: 0 });
  const B = batchLosses.length;
  return (p: T) => {
    const { grads, mean, meanGrad } = batchGradients(batchLosses, p);
    let spread: Tensor = scalar(0);
    for (const g of grads) spread = add(spread, treeSquaredNorm(treeSub(g, meanGrad)));
    return add(add(mean, mul(treeSquaredNorm(meanGrad), a / 4)), mul(spread, a / (4 * B)));
  };
}
