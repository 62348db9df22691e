import type { PRNGKey, Tree } from "@regularize/core-autodiff";
import type { StepCount } from "./count.js";

/**
 * An optax-style gradient transformation: a pure `init` + `update` pair whose state is plain data
 * (numbers, tensors, arrays and objects of them) so a runner can serialise it for exact resume.
 * `update` maps gradients (or a previous transform's updates) to updates that are *added* to the
 * parameters. `params` is needed only by transforms that read the parameters (weight decay); `step`
 * is accepted for core-train's contract but ignored — every transform counts its own steps in its
 * state, so calling `update` with three arguments and resuming from saved state agree. `key` is a
 * fresh PRNG key for stochastic transforms (`chain` splits it among its members).
 * Assignable to core-train's `GradientTransformation<S>`.
 */
export interface Transformation<S = unknown> {
  /** Initial state for parameters shaped like `params`. */
  init(params: Tree): S;
  /** New updates (same structure as `updates`) and the new state. */
  update<T extends Tree>(updates: T, state: S, params?: Tree, step?: number, key?: PRNGKey): [T, S];
  /** Current hyper-parameters for the step history (e.g. `{ lr }` of a schedule), read from the state. */
  hyperparams?(state: S, step?: number): Readonly<Record<string, number>>;
}

/** The state type of a transformation. */
export type StateOf<T> = T extends Transformation<infer S> ? S : never;

/** A stateless transform's state. */
export type EmptyState = Record<string, never>;

/**
 * A transformation that counts its steps (schedules read the count, Adam bias-corrects with it).
 * The count is a float64 scalar tensor, so a `jit`-compiled training step takes it as a runtime
 * input and records once (a plain number is still accepted, e.g. from an older checkpoint).
 */
export interface CountState {
  readonly count: StepCount;
}
