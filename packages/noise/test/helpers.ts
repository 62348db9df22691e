// Local test fixtures (no dependency on @regularize/optim or @regularize/datasets, per DESIGN's import rules).
import type { FitContext, GradientTransformation } from "@regularize/core-train";
import { type Tree, prngKey, treeScale } from "@regularize/core-autodiff";
import { expect } from "vitest";

/** |a − b| ≤ atol + rtol·|b| elementwise, with a readable failure. */
export function expectAllclose(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, opts: { rtol?: number; atol?: number } = {}): void {
  const a = typeof actual === "number" ? [actual] : Array.from(actual);
  const b = typeof expected === "number" ? [expected] : Array.from(expected);
  expect(a.length).toBe(b.length);
  const rtol = opts.rtol ?? 1e-10, atol = opts.atol ?? 1e-12;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) throw new Error(`element ${i}: ${x} vs ${y} (rtol ${rtol}, atol ${atol})`);
  });
}

/** Plain SGD as a gradient transformation: updates −α·g (added to the parameters by the runner). */
export function sgd(lr: number): GradientTransformation<null> {
  return { init: () => null, update: (g: Tree, s: null) => [treeScale(g, -lr), s] };
}

/** A FitContext stub for calling event hooks directly. */
export function fitContext(params: Tree, key = prngKey(0), step = 0): FitContext {
  return {
    step, epoch: 0, params, batch: undefined, loss: undefined, key,
    cancel() {}, setParams() {}, log() {}, evaluate: () => ({ loss: 0 }),
  };
}

/** Σ|f(x_{j+1}) − f(x_j)|: total variation of a sampled curve (smaller = smoother). */
export function totalVariation(values: ArrayLike<number>): number {
  let tv = 0;
  for (let j = 1; j < values.length; j++) tv += Math.abs(values[j]! - values[j - 1]!);
  return tv;
}

/** Figure 9.9's digitised data (CHAPTER9 §2): 15 points with a gap between x = 0.415 and 0.742. */
export const FIG99_X = [0.021, 0.093, 0.11, 0.195, 0.225, 0.281, 0.338, 0.376, 0.415, 0.742, 0.768, 0.822, 0.866, 0.933, 0.98];
/** Targets of figure 9.9's data. */
export const FIG99_Y = [0.52, 1.95, 1.53, 2.24, 2.36, 2.5, 2.67, 2.25, 1.67, 0.35, 0.3, 0.36, 0.53, 0.7, 1.32];

/** Figure 9.10's digitised data (CHAPTER9 §2): 15 points with random x. */
export const FIG910_X = [0.052, 0.069, 0.176, 0.251, 0.3, 0.349, 0.413, 0.516, 0.546, 0.605, 0.712, 0.796, 0.8, 0.9, 0.981];
/** Targets of figure 9.10's data. */
export const FIG910_Y = [2.07, 1.87, 2.7, 2.66, 2.8, 3.13, 1.53, 0.42, 0.45, 1.4, 1.28, -0.17, 1.37, 0.62, 1.5];
