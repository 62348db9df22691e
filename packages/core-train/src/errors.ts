import type { Tree } from "@regularize/core-autodiff";
import type { History } from "./history.js";
import type { TrainState } from "./train-state.js";
import { PluginOptionError } from "./plugin-options.js";
import { TrainError, safeText } from "./train-error.js";

export { TrainError };

/**
 * An invalid option of `fit`, `predict`, a model or an initialiser; `option` names the argument.
 * A PluginOptionError whose `plugin` is the function ("fit" unless given); the message keeps its
 * historical form "option: message".
 */
export class FitOptionsError extends PluginOptionError {
  constructor(option: string, message: string, fn = "fit") {
    super(fn, option, message);
    this.name = "FitOptionsError";
    this.message = `${option}: ${message}`;
  }
}

/** A plugin hook threw; `plugin` and `hook` say which, `cause` holds the original error. */
export class PluginError extends TrainError {
  readonly plugin: string;
  readonly hook: string;
  /** Set by `fit` (see FitFailure): the resumable state at the failure. */
  declare readonly state?: TrainState;
  /** Set by `fit` (see FitFailure): the parameters the run ends with. */
  declare readonly params?: Tree;
  /** Set by `fit` (see FitFailure): the metrics up to the failure. */
  declare readonly history?: History;
  constructor(plugin: string, hook: string, cause: unknown) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    super(`plugin "${plugin}" failed in ${hook}: ${msg}`, { cause });
    this.plugin = plugin;
    this.hook = hook;
  }
}

/** A TrainState that does not fit this run (other plugins, parameter structure, or a corrupt file). */
export class StateError extends TrainError {}

/** Where a non-finite value appeared in a training step. */
export type NonFiniteSource = "loss" | "gradient" | "update" | "parameter";

/**
 * NaN or ±Inf in the loss, a gradient, an update, or a parameter after the update (a finite update
 * that overflowed it) stopped the run. The step was not applied:
 * `params` and `state` are the last good ones, `history` the metrics up to the failure.
 */
export class NonFiniteLossError extends TrainError {
  /** 0-based step whose loss/gradient/update was not finite. */
  readonly step: number;
  /** Which quantity was not finite. */
  readonly source: NonFiniteSource;
  /** Path of the offending parameter leaf (e.g. "layers[0].w"), for gradients and updates. */
  readonly leaf: string | undefined;
  /** The offending value. */
  readonly value: number;
  /** Last good parameters (before the failed step), or what a plugin's `onError` set (early stopping's best). */
  readonly params: Tree;
  /** Last good training state, resumable with `fit({ initialState })`. */
  readonly state: TrainState;
  /** Metrics recorded before the failure. */
  readonly history: History;
  constructor(info: { step: number; source: NonFiniteSource; leaf?: string; value: number; params: Tree; state: TrainState; history: History }) {
    if (info === null || typeof info !== "object") throw new StateError(`NonFiniteLossError: info must be an object, got ${safeText(info)}`);
    const where = info.leaf === undefined ? safeText(info.source) : `${safeText(info.source)} of ${safeText(info.leaf)}`;
    super(`non-finite ${where} (${safeText(info.value)}) at step ${safeText(info.step)}; the step was not applied`);
    this.step = info.step;
    this.source = info.source;
    this.leaf = info.leaf;
    this.value = info.value;
    this.params = info.params;
    this.state = info.state;
    this.history = info.history;
  }
}

/**
 * Bad input to a Predictive, a metric or a combiner: `fn` is the function, `argument` the offending
 * argument (e.g. "members[2]", "weights[1]", "labels"), `member` the member index when one is at fault.
 */
export class PredictiveError extends TrainError {
  readonly fn: string;
  readonly argument: string;
  readonly member: number | undefined;
  constructor(fn: string, argument: string, message: string, member?: number) {
    const arg = safeText(argument);
    super(`${safeText(fn)}: ${arg}${member !== undefined && !arg.includes(`[${safeText(member)}]`) ? ` (member ${safeText(member)})` : ""}: ${safeText(message)}`);
    this.name = "PredictiveError";
    this.fn = fn;
    this.argument = argument;
    this.member = member;
  }
}

/**
 * What `fit` attaches to every error it throws once the run has started (a NaN, a plugin, a
 * schedule or a callback throwing): the error object gets `state`, `params` and `history`
 * properties, also readable with `fitFailure(error)`.
 */
export interface FitFailure {
  /**
   * The last consistent position: `fit({ ...sameOptions, initialState: state })` continues from it.
   * A failed step is not in it (params and optimizer state are bit for bit those before the step);
   * a step whose update was applied before a later hook failed is. Undefined only when a plugin's
   * `saveState` itself failed.
   */
  readonly state: TrainState | undefined;
  /** The parameters the run ends with: the last good ones, or what an `onError` hook set. */
  readonly params: Tree;
  /** Metrics recorded before the failure. */
  readonly history: History;
}

const failures = new WeakMap<object, FitFailure>();

/** The resumable state and parameters `fit` attached to an error it threw, or undefined. */
export function fitFailure(error: unknown): FitFailure | undefined {
  return error !== null && typeof error === "object" ? failures.get(error) : undefined;
}

/** @internal Attach a failure to what fit throws (a non-object thrown value is wrapped in a TrainError). */
export function attachFailure(error: unknown, f: FitFailure): object {
  const e = error !== null && typeof error === "object" ? error : new TrainError(`fit failed: ${String(error)}`, { cause: error });
  failures.set(e, f);
  for (const [k, v] of [["state", f.state], ["params", f.params], ["history", f.history]] as const) {
    // own data properties (e.g. NonFiniteLossError's) are overwritten; a frozen error keeps only the WeakMap entry
    try {
      Object.defineProperty(e, k, { value: v, writable: true, configurable: true, enumerable: false });
    } catch {
      /* non-extensible error object */
    }
  }
  return e;
}
