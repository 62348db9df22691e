import { type PRNGKey, type Tree, split } from "@regularize/core-autodiff";
import { describeValue } from "@regularize/core-train";
import { OptionError, UsageError } from "./errors.js";
import type { Transformation } from "./transformation.js";

/** The state of `chain(t1, …, tn)`: the tuple of the members' states. */
export type ChainState<S extends readonly unknown[]> = { readonly [K in keyof S]: S[K] };

/**
 * Compose transformations left to right: the updates of each feed the next (optax's `chain`).
 * AdamW is `chain(scaleByAdam(), addDecayedWeights({ weightDecay }), scaleByLearningRate(α))`.
 * A PRNG key passed to `update` is split so every member gets its own stream.
 */
export function chain<S extends readonly unknown[]>(...transforms: { readonly [K in keyof S]: Transformation<S[K]> }): Transformation<ChainState<S>> {
  const ts = transforms as readonly Transformation<unknown>[];
  ts.forEach((t, i) => {
    if (t === null || typeof t !== "object" || typeof t.init !== "function" || typeof t.update !== "function") {
      throw new OptionError("chain", `transforms[${i}]`, "must be a transformation { init, update }");
    }
  });
  const checkState = (state: unknown): readonly unknown[] => {
    if (!Array.isArray(state) || state.length !== ts.length) {
      throw new UsageError("chain", `state must be an array of ${ts.length} member states (did you pass another transform's state?)`);
    }
    return state;
  };
  const out: Transformation<ChainState<S>> = {
    init: (params: Tree) => {
      // a chain of stateless members never reads params: without this, init("x") would answer a state
      if (params === null || typeof params !== "object") throw new UsageError("chain", `init: params must be a tree of tensors, got ${describeValue(params)}`);
      return ts.map((t) => t.init(params)) as unknown as ChainState<S>;
    },
    update<T extends Tree>(updates: T, state: ChainState<S>, params?: Tree, step?: number, key?: PRNGKey): [T, ChainState<S>] {
      const states = checkState(state);
      const keys = key === undefined || ts.length === 0 ? undefined : split(key, ts.length);
      let u = updates;
      const next: unknown[] = [];
      ts.forEach((t, i) => {
        const [nu, ns] = t.update(u, states[i], params, step, keys?.[i]);
        u = nu;
        next.push(ns);
      });
      return [u, next as unknown as ChainState<S>];
    },
  };
  if (ts.some((t) => typeof t.hyperparams === "function")) {
    // merged left to right; a later member's name wins (one learning rate per chain in practice)
    out.hyperparams = (state, step) => {
      const states = checkState(state);
      return Object.assign({}, ...ts.map((t, i) => t.hyperparams?.(states[i], step) ?? {})) as Record<string, number>;
    };
  }
  return out;
}
