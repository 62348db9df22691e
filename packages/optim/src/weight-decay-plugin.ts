import { type Tree, mul, sub } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { type Mask, defaultMask, resolveMask, checkMask } from "./mask.js";
import type { NamedPluginOptions } from "./sam.js";
import type { EmptyState, Transformation } from "./transformation.js";
import { mapWithParams } from "./tree-util.js";
import { checkNumber, checkOptions, check, checkUpdateArgs } from "./validate.js";

/** Options of `decoupledWeightDecay`. */
export interface DecoupledWeightDecayOptions extends NamedPluginOptions {
  /** λ' of eq. 9.13: every step multiplies the decayed tensors by (1 − λ'), independently of α. */
  readonly rate: number;
  /** Which tensors decay (default "weights": biases are left alone; see `Mask`). */
  readonly mask?: Mask;
}

/**
 * The book's decoupled weight decay φ ← (1 − λ')φ − α∇L (UDL eq. 9.13) as a "post" plugin: its
 * transform subtracts λ'φ from the optimizer's updates, after the learning rate, so λ' is not
 * scaled by α. Under plain SGD it equals L2 with λ = λ'/(2α) (problem 9.5).
 */
export function decoupledWeightDecay(options: DecoupledWeightDecayOptions): Plugin<EmptyState> {
  const fn = "decoupledWeightDecay";
  checkOptions(fn, options, { name: true, rate: true, mask: true });
  const rate = checkNumber(fn, "rate", options.rate, { min: 0, max: 1 });
  const mask = options.mask === undefined ? defaultMask : checkMask(fn, "mask", options.mask);
  const transform: Transformation<EmptyState> = {
    init: () => ({}),
    update<T extends Tree>(updates: T, state: EmptyState, params?: Tree): [T, EmptyState] {
      checkUpdateArgs(fn, updates, state);
      const on = params === undefined ? [] : resolveMask(fn, mask, params);
      return [mapWithParams(fn, updates, params, (u, p, i) => (on[i] && rate !== 0 ? sub(u, mul(p, rate)) : u)), state];
    },
  };
  return { name: check.name(fn, options.name, "weightDecay"), enforce: "post", transform };
}
