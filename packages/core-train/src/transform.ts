import type { PRNGKey, Tree } from "@regularize/core-autodiff";

/**
 * An optax-style gradient transformation: pure `init` + `update`. `update` maps gradients (or the
 * updates of a previous transform) to updates that are *added* to the parameters, so SGD returns
 * −α·g. Everything composes with `chain` (in @regularize/optim).
 */
export interface GradientTransformation<S = unknown> {
  /** Initial state for parameters shaped like `params`. */
  init(params: Tree): S;
  /**
   * New updates and state; `params` are the current parameters, `step` the 0-based step count.
   * `key` (added; optional for implementers) is a fresh PRNG key for this step, for stochastic
   * transforms (gradient noise, SGLD): fit passes foldInString(pluginStepKey, "transform") to plugin
   * transforms and foldInString(stepKey, "optimizer") to the optimizer. A combinator should split it.
   */
  update(updates: Tree, state: S, params: Tree, step: number, key?: PRNGKey): [Tree, S];
  /**
   * Optional: current hyperparameters to record in the step history, e.g. `{ lr: 0.01 }` for a
   * scheduled learning rate (`step` is the step about to be taken). Called once per step when present.
   */
  hyperparams?(state: S, step: number): Readonly<Record<string, number>>;
}

/** State of any transformation (used where the concrete type does not matter). */
export type AnyTransformation = GradientTransformation<unknown>;
