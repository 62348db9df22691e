import type { Tree } from "@regularize/core-autodiff";

/**
 * An optax-style gradient transformation: pure `init` + `update`. `update` maps gradients (or the
 * updates of a previous transform) to updates that are *added* to the parameters, so SGD returns
 * −α·g. Everything composes with `chain` (in @regularize/optim).
 */
export interface GradientTransformation<S = unknown> {
  /** Initial state for parameters shaped like `params`. */
  init(params: Tree): S;
  /** New updates and state; `params` are the current parameters, `step` the 0-based step count. */
  update(updates: Tree, state: S, params: Tree, step: number): [Tree, S];
}

/** State of any transformation (used where the concrete type does not matter). */
export type AnyTransformation = GradientTransformation<any>;
