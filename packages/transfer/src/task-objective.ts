import { Tensor, type Tree, add, grad, mul, stopGradient, sub, sum, treeFlatten, treeMap } from "@regularize/core-autodiff";
import type { Batch, Objective, ObjectiveContext } from "@regularize/core-train";
import type { MultiTask } from "./multi-task.js";
import { TransferError, isNumber, isTensor, requireArrayOf, requireBatch, requireFunction, requireMultiTask, requireObjectiveContext } from "./errors.js";

/** Detached copy of a parameter tree (gradients taken of it do not flow into an enclosing trace). */
export function detach<T extends Tree>(t: T): T {
  return treeMap((l: Tensor) => stopGradient(l), t) as T;
}

/** The unweighted task losses of params on the step's batch, through the fit's train-mode forward (same stochastic layers as the step). */
export function taskLossesAt(mt: MultiTask, ctx: ObjectiveContext, params: Tree, batch?: Batch): Tensor[] {
  const fn = "taskLossesAt";
  requireMultiTask(fn, "mt", mt);
  requireObjectiveContext(fn, "ctx", ctx);
  const b = requireBatch(fn, batch === undefined ? "ctx.batch" : "batch", batch ?? ctx.batch);
  return mt.taskLosses(ctx.forward(params, b.x), b);
}

/** Per-task gradients ∇_φ (scale_t·L_t) at (detached) params, as trees shaped like params. */
export function taskGradients(mt: MultiTask, ctx: ObjectiveContext, params: Tree, scales: readonly number[]): Tree[] {
  const fn = "taskGradients";
  requireMultiTask(fn, "mt", mt);
  requireObjectiveContext(fn, "ctx", ctx);
  requireArrayOf<number>(fn, "scales", scales, isNumber, "a number", mt.tasks.length);
  const p0 = detach(params);
  return mt.tasks.map((_, t) => grad((q: Tree) => mul(taskLossesAt(mt, ctx, q)[t]!, scales[t]!))(p0));
}

/** Σ_t w_t·L_t for tensors L_t and numbers w_t. */
export function weightedSum(losses: readonly Tensor[], w: readonly number[]): Tensor {
  requireArrayOf<Tensor>("weightedSum", "losses", losses, isTensor, "a Tensor");
  if (losses.length === 0) throw new TransferError("weightedSum", "losses", "must hold at least one task loss");
  requireArrayOf<number>("weightedSum", "w", w, isNumber, "a number", losses.length);
  let s: Tensor | undefined;
  losses.forEach((l, i) => {
    const term = mul(l, w[i]!);
    s = s === undefined ? term : add(s, term);
  });
  return s!;
}

/**
 * Replace the fixed-weight multi-task data loss inside `inner` (fit's objective: data loss + other
 * plugins' penalties, fit's loss being `mt.loss`) by `replacement(params)`: inner − Σ w_t L_t + replacement.
 * Keeps every other plugin's penalty and objective wrapper.
 */
export function replaceDataLoss(mt: MultiTask, inner: Objective, ctx: ObjectiveContext, replacement: (params: Tree, losses: Tensor[]) => Tensor): Objective {
  const fn = "replaceDataLoss";
  requireMultiTask(fn, "mt", mt);
  requireFunction(fn, "inner", inner);
  requireObjectiveContext(fn, "ctx", ctx);
  requireFunction(fn, "replacement", replacement);
  return (params) => {
    const losses = taskLossesAt(mt, ctx, params);
    return add(sub(inner(params), weightedSum(losses, mt.weights)), replacement(params, losses));
  };
}

/**
 * A scalar whose value is 0 and whose gradient with respect to params is `g` (a constant tree):
 * Σ g·(φ − stopGradient(φ)). Lets an objective wrapper impose a surgically combined gradient.
 */
export function linearSurrogate(params: Tree, g: Tree): Tensor {
  const pl = treeFlatten(params)[0], gl = treeFlatten(g)[0];
  // g pairs with params leaf by leaf: another tree (a dataset {x, y}) would be multiplied by the wrong leaves
  if (gl.length !== pl.length || gl.some((l, j) => l.shape.join(",") !== pl[j]!.shape.join(","))) {
    throw new TransferError("linearSurrogate", "g", `must be a tree of params' structure (${pl.length} leaves of shapes ${pl.map((l) => `[${l.shape.join(", ")}]`).join(", ")}), got ${gl.length} leaves of shapes ${gl.map((l) => `[${l.shape.join(", ")}]`).join(", ")}`);
  }
  let s: Tensor | undefined;
  pl.forEach((p, j) => {
    const term = sum(mul(sub(p, stopGradient(p)), gl[j]!));
    s = s === undefined ? term : add(s, term);
  });
  return s!;
}
