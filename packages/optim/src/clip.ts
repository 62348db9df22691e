import { type Tree, clip as clipOp, treeMap } from "@regularize/core-autodiff";
import type { EmptyState, Transformation } from "./transformation.js";
import { checkNumber, checkOptions, checkUpdateArgs } from "./validate.js";

/** Options of `clip`. */
export interface ClipOptions {
  /** Every element of the updates is clamped to [−maxDelta, maxDelta]. */
  readonly maxDelta: number;
}

/** Elementwise clipping of the updates to [−maxDelta, maxDelta] (optax's clip). */
export function clip(options: ClipOptions): Transformation<EmptyState> {
  const fn = "clip";
  checkOptions(fn, options, { maxDelta: true });
  const d = checkNumber(fn, "maxDelta", options.maxDelta, { min: 0 });
  return {
    init: () => ({}),
    update: <T extends Tree>(updates: T, state: EmptyState): [T, EmptyState] => {
      checkUpdateArgs("clip", updates, state);
      return [treeMap((u) => clipOp(u, -d, d), updates), state];
    },
  };
}
