// Local test fixtures. No dependency on @regularize/optim (DESIGN import rules); the chapter's data come from @regularize/datasets (test-only).
import type { FitContext, GradientTransformation } from "@regularize/core-train";
import { type Tree, prngKey, treeScale } from "@regularize/core-autodiff";
import { assertAllclose } from "@regularize/core-train/testing";
import { bookDataset } from "@regularize/datasets";

/** |a − b| ≤ atol + rtol·|b| elementwise, with a readable failure (core-train/testing's shared check). */
export const expectAllclose = assertAllclose;

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

// The book's digitised data (CHAPTER9 §2) come from the datasets package (test-only dependency).
const FIG99 = bookDataset("fig9_9");
const FIG910 = bookDataset("fig9_10");
/** Figure 9.9's digitised data: inputs. */
export const FIG99_X: number[] = Array.from(FIG99.x);
/** Figure 9.9's digitised data: targets. */
export const FIG99_Y: number[] = Array.from(FIG99.y);
/** Figure 9.10's digitised data (15 points with random x): inputs. */
export const FIG910_X: number[] = Array.from(FIG910.x);
/** Figure 9.10's digitised data: targets. */
export const FIG910_Y: number[] = Array.from(FIG910.y);
