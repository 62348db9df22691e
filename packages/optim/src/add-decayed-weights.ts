import { type Tree, add, mul } from "@regularize/core-autodiff";
import { type Mask, defaultMask, resolveMask, checkMask } from "./mask.js";
import type { EmptyState, Transformation } from "./transformation.js";
import { mapWithParams } from "./tree-util.js";
import { checkNumber, checkOptions, checkUpdateArgs } from "./validate.js";

/** Options of `addDecayedWeights`. */
export interface AddDecayedWeightsOptions {
  /** λ ≥ 0: the update gains λ·φ. */
  readonly weightDecay: number;
  /** Which tensors decay (default "weights": biases are left alone; see `Mask`). */
  readonly mask?: Mask;
}

/**
 * Decoupled weight decay (Loshchilov & Hutter; optax's add_decayed_weights): u ← u + λ·φ, placed
 * *after* the preconditioner and before scaleByLearningRate, so a step is φ ← (1 − αλ)φ − α·P(g).
 * This is the book's eq. 9.13 φ ← (1 − λ')φ − α∇L with λ' = αλ; it equals L2 only for plain SGD.
 */
export function addDecayedWeights(options: AddDecayedWeightsOptions): Transformation<EmptyState> {
  const fn = "addDecayedWeights";
  checkOptions(fn, options, { weightDecay: true, mask: true });
  const wd = checkNumber(fn, "weightDecay", options.weightDecay, { min: 0 });
  const mask = options.mask === undefined ? defaultMask : checkMask(fn, "mask", options.mask);
  return {
    init: () => ({}),
    update<T extends Tree>(updates: T, state: EmptyState, params?: Tree): [T, EmptyState] {
      checkUpdateArgs(fn, updates, state);
      const on = params === undefined ? [] : resolveMask(fn, mask, params);
      return [mapWithParams(fn, updates, params, (u, p, i) => (on[i] && wd !== 0 ? add(u, mul(p, wd)) : u)), state];
    },
  };
}
