import { type Tree, mul, treeMap } from "@regularize/core-autodiff";
import { UsageError } from "./errors.js";
import { type ScheduleLike, toSchedule } from "./schedules.js";
import type { CountState, EmptyState, Transformation } from "./transformation.js";
import { checkNumber } from "./validate.js";

/** Multiply updates by a constant factor (any finite number; use scaleByLearningRate for a descent step). */
export function scale(factor: number): Transformation<EmptyState> {
  const f = checkNumber("scale", "factor", factor);
  return {
    init: () => ({}),
    update: (updates, state) => [treeMap((u) => mul(u, f), updates), state],
  };
}

/**
 * Multiply updates by −α (a number or a schedule of the step count, which this transform keeps in
 * its state): the step that turns a gradient into a descent update, φ ← φ − α·u.
 */
export function scaleByLearningRate(learningRate: ScheduleLike): Transformation<CountState> {
  const fn = "scaleByLearningRate";
  const lr = toSchedule(fn, "learningRate", learningRate);
  return {
    init: () => ({ count: 0 }),
    hyperparams: (state: CountState) => ({ lr: lr(state.count) }),
    update<T extends Tree>(updates: T, state: CountState): [T, CountState] {
      const a = lr(state.count);
      // a schedule is user code: a NaN or negative value must stop the run, not corrupt it silently
      if (!Number.isFinite(a) || a < 0) throw new UsageError(fn, `learningRate schedule returned ${a} at step ${state.count} (need a finite number ≥ 0)`);
      return [treeMap((u) => mul(u, -a), updates), { count: state.count + 1 }];
    },
  };
}
