import type { Tree } from "@regularize/core-autodiff";
import { OptionError, UsageError } from "./errors.js";
import type { Transformation } from "./transformation.js";

/** The state of `chain(t1, …, tn)`: the tuple of the members' states. */
export type ChainState<S extends readonly unknown[]> = { readonly [K in keyof S]: S[K] };

/**
 * Compose transformations left to right: the updates of each feed the next (optax's `chain`).
 * AdamW is `chain(scaleByAdam(), addDecayedWeights({ weightDecay }), scaleByLearningRate(α))`.
 */
export function chain<S extends readonly unknown[]>(...transforms: { readonly [K in keyof S]: Transformation<S[K]> }): Transformation<ChainState<S>> {
  const ts = transforms as readonly Transformation<unknown>[];
  ts.forEach((t, i) => {
    if (t === null || typeof t !== "object" || typeof t.init !== "function" || typeof t.update !== "function") {
      throw new OptionError("chain", `transforms[${i}]`, "must be a transformation { init, update }");
    }
  });
  return {
    init: (params: Tree) => ts.map((t) => t.init(params)) as unknown as ChainState<S>,
    update<T extends Tree>(updates: T, state: ChainState<S>, params?: Tree, step?: number): [T, ChainState<S>] {
      const states = state as readonly unknown[];
      if (!Array.isArray(states) || states.length !== ts.length) {
        throw new UsageError("chain", `state must be an array of ${ts.length} member states (did you pass another transform's state?)`);
      }
      let u = updates;
      const next: unknown[] = [];
      ts.forEach((t, i) => {
        const [nu, ns] = t.update(u, states[i], params, step);
        u = nu;
        next.push(ns);
      });
      return [u, next as unknown as ChainState<S>];
    },
  };
}
