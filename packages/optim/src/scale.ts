import { type DataArray, type Tensor, type Tree, mul, pureCallback, treeFlatten, treeMap } from "@regularize/core-autodiff";
import { countTensor, countValue, nextCount } from "./count.js";
import { UsageError } from "./errors.js";
import { type ScheduleLike, toSchedule } from "./schedules.js";
import type { CountState, EmptyState, Transformation } from "./transformation.js";
import { checkNumber, checkUpdateArgs } from "./validate.js";

/** Multiply updates by a constant factor (any finite number; use scaleByLearningRate for a descent step). */
export function scale(factor: number): Transformation<EmptyState> {
  const f = checkNumber("scale", "factor", factor);
  return {
    init: () => ({}),
    update: (updates, state) => {
      checkUpdateArgs("scale", updates, state);
      return [treeMap((u) => mul(u, f), updates), state];
    },
  };
}

/**
 * Multiply updates by −α (a number or a schedule of the step count, which this transform keeps in
 * its state): the step that turns a gradient into a descent update, φ ← φ − α·u.
 */
export function scaleByLearningRate(learningRate: ScheduleLike): Transformation<CountState> {
  const fn = "scaleByLearningRate";
  const lr = toSchedule(fn, "learningRate", learningRate);
  // −α is computed by a callback on the count tensor, so a jit recording replays the schedule at
  // the runtime count; it is stored in the updates' dtype, as a number operand of mul would be
  const negLr = (count: Tensor, dtype: "float32" | "float64"): Tensor => pureCallback((o: DataArray, c: DataArray) => {
    const a = lr(c[0]!);
    // a schedule is user code: a NaN or negative value must stop the run, not corrupt it silently
    if (!Number.isFinite(a) || a < 0) throw new UsageError(fn, `learningRate schedule returned ${a} at step ${c[0]} (need a finite number ≥ 0)`);
    o[0] = -a;
  }, [count], [], dtype);
  return {
    init: () => ({ count: countTensor(0) }),
    hyperparams: (state: CountState) => {
      checkUpdateArgs(fn, undefined, state, ["count"], "hyperparams");
      return { lr: lr(countValue(state.count)) };
    },
    update<T extends Tree>(updates: T, state: CountState): [T, CountState] {
      checkUpdateArgs(fn, updates, state, ["count"]);
      const count = countTensor(state.count);
      const byDtype: Partial<Record<"float32" | "float64", Tensor>> = {};
      const factor = (d: "float32" | "float64"): Tensor => (byDtype[d] ??= negLr(count, d));
      // no leaves: the schedule is still checked at this count
      if (treeFlatten(updates)[0].length === 0) factor("float64");
      return [treeMap((u) => mul(u, factor(u.dtype === "float32" ? "float32" : "float64")), updates), { count: nextCount(count) }];
    },
  };
}
