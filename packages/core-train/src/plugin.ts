import type { PRNGKey, Tensor, Tree } from "@regularize/core-autodiff";
import type { History } from "./history.js";
import type { GradientTransformation } from "./transform.js";

/** A mini-batch: inputs `x`, targets `y` (int32 class labels, float regression targets or soft labels). */
export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
  /** Indices of the examples in the training set (for plugins that track examples). */
  readonly indices?: Int32Array;
}

/** Whether stochastic layers act (train) or not (eval). Only stochastic-layer plugins read it. */
export type Mode = "train" | "eval";

/** Where in a model's forward pass a stochastic layer may act. */
export interface Site {
  /** Stable name, e.g. "hidden0", "hidden1" (an MLP's hidden activations). */
  readonly name: string;
  /** 0-based position of the site among the model's sites. */
  readonly index: number;
  /** "hidden" for hidden activations, "input" for model inputs. */
  readonly kind: "hidden" | "input";
}

/**
 * What a model's `apply` receives: calls `site(...)` at every hidden activation so that stochastic
 * layers (dropout and friends) can act without the model knowing them.
 */
export interface ForwardContext {
  /** Global mode; plugins decide with `isActive` whether they act. */
  readonly mode: Mode;
  /** Pass a hidden activation through the stochastic layers registered for this site. */
  site(site: Site, h: Tensor): Tensor;
}

/** What a forward wrapper of a plugin receives. */
export interface ForwardHookContext {
  readonly mode: Mode;
  /** True when this plugin should act: train mode, or eval mode with the plugin explicitly switched on (MC dropout). */
  readonly active: boolean;
  /** This plugin's PRNG key for this forward pass (fresh each step; distinct per site). */
  readonly key: PRNGKey;
  readonly step: number;
}

/** A scalar function of the parameters, the thing that is differentiated each step. */
export type Objective = (params: Tree) => Tensor;

/** What `penalty` and `objective` hooks receive. */
export interface ObjectiveContext {
  readonly batch: Batch;
  readonly step: number;
  /** This plugin's key for this step. */
  readonly key: PRNGKey;
  /** The model forward in train mode with this step's stochastic layers (for input-gradient / activity penalties). */
  readonly forward: (params: Tree, x: Tensor) => Tensor;
  /** The data loss (no penalties) for params on a batch. */
  readonly dataLoss: (params: Tree, batch: Batch) => Tensor;
  /** Inside fit, for a plugin with `stepState`: its state at the start of this step. */
  readonly state?: unknown;
  /** Inside fit, for a plugin with `stepState`: the state the next step starts from (the last call's, if called twice). */
  setState?(next: unknown): void;
}

/** Scope of `cancel`: skip the rest of this batch, end this epoch, or end the fit (after* hooks still run). */
export type CancelScope = "batch" | "epoch" | "fit";

/** Inputs and targets of a whole dataset (training or validation set). */
export interface Dataset {
  readonly x: Tensor;
  readonly y: Tensor;
}

/** The events of a fit, in the order they fire. */
export type FitEvent =
  | "beforeFit" | "beforeEpoch" | "beforeBatch" | "afterForward" | "afterLoss"
  | "beforeStep" | "afterStep" | "afterBatch" | "afterEpoch" | "afterFit"
  /** Not in the normal order: fired instead of the closing hooks when the fit fails. */
  | "onError";

/** The read-mostly view of a running fit that event hooks receive. */
export interface FitContext {
  readonly step: number;
  readonly epoch: number;
  readonly params: Tree;
  /** The current batch (inside batch events). */
  readonly batch: Batch | undefined;
  /** The loss of the current step (after afterLoss). */
  readonly loss: number | undefined;
  /** This plugin's key for this step/event. */
  readonly key: PRNGKey;
  /** Ask the runner to cancel (see CancelScope). */
  cancel(scope: CancelScope): void;
  /** Replace the parameters (early stopping's restore, projections after a step). */
  setParams(params: Tree): void;
  /** Record a metric in the history (per step in batch events, per epoch in epoch events). */
  log(name: string, value: number): void;
  /**
   * The fit's data loss (its `loss` on the whole set in one batch: a mean for mean losses, a sum for
   * `sse`) and accuracy (classification targets) of params on a dataset, in eval mode.
   */
  evaluate(params: Tree, data: { x: Tensor; y: Tensor }): { loss: number; accuracy?: number };

  // Added by core-train's runner (optional so hand-made contexts in tests stay valid).
  /** The event being dispatched. */
  readonly event?: FitEvent;
  /** Always "train" inside fit (evaluate runs in eval mode). */
  readonly mode?: Mode;
  /** The model output of the step's first forward pass, detached (from afterForward to afterBatch). */
  readonly pred?: Tensor | undefined;
  /** Data loss of the step's first forward pass (from afterForward to afterBatch). */
  readonly dataLoss?: number | undefined;
  /** Raw gradients of the objective (from afterLoss to afterBatch). */
  readonly grads?: Tree | undefined;
  /** The training set. */
  readonly data?: Dataset;
  /** The validation set, when fit has one. */
  readonly validation?: Dataset | undefined;
  /** Metrics of the epoch being closed (in afterEpoch): trainLoss, valLoss, valAccuracy… */
  readonly metrics?: Readonly<Record<string, number>> | undefined;
  /** Batches per epoch. */
  readonly stepsPerEpoch?: number;
  /** The step budget when known (steps, or epochs × stepsPerEpoch), else undefined. */
  readonly totalSteps?: number | undefined;
  /** True when the fit resumed from an `initialState` (loadState has been called after beforeFit). */
  readonly resumed?: boolean;
  /** Metrics recorded so far. */
  readonly history?: History;
  /** This plugin's step state as committed so far (Plugin.stepState): e.g. to log it in afterStep. Do not keep it: a compiled step reuses its buffers. */
  readonly stepState?: unknown;
}

/** Batch-level hooks are synchronous (hot loop); fit and epoch hooks may return a promise. */
type MaybePromise<T> = T | Promise<T>;

/**
 * A regularization technique as a plain object from a factory `x(options)` (Vite/Rollup style).
 * Every field is optional except `name`; the core knows no technique by name.
 */
export interface Plugin<S = unknown> {
  /** Unique name: used in errors, as the state key and as the PRNG stream key. */
  readonly name: string;
  /** Coarse ordering: "pre" plugins run first, "post" last (decoupled decay after the preconditioner). */
  readonly enforce?: "pre" | "post";
  /** Fine ordering within the same `enforce` group (ascending; default 0). */
  readonly order?: number;
  /**
   * `false` when the plugin's step hooks (penalty, objective, site, forwardParams, transform)
   * cannot be recorded by `jit`: they keep JS state that changes from step to step, or read tensor
   * values into JS. `fit` then runs eagerly, with a notice naming the plugin. Default: recordable
   * (per-step randomness must come from `ctx.key`, per-step numbers from state tensors).
   */
  readonly compile?: boolean;
  /**
   * `true` when the plugin keeps tensors it sees (ctx.params, ctx.grads, its own results) beyond
   * the step that made them without copying them: `fit` then neither reuses step memory (`tidy`)
   * nor lets a compiled step write into the previous step's buffers.
   */
  readonly keepsTensors?: boolean;

  /**
   * Tensors that `penalty`/`objective` carry from one step to the next (spectralPenalty's power-iteration
   * vectors): `init(params)` makes them before the first step (a tree of tensors); the hook reads
   * `ctx.state` and hands the next ones to `ctx.setState`. fit threads them like a transform's state
   * — runtime inputs and outputs of a compiled step, committed with the update, saved in the
   * TrainState's `stepStates` — so the plugin stays recordable.
   */
  readonly stepState?: { init(params: Tree): unknown };

  /** Explicit regularizer added to the loss that is differentiated (e.g. λ·Σφ²). */
  penalty?(params: Tree, ctx: ObjectiveContext): Tensor;
  /** Wrap the whole objective (modified losses, SAM's ascent step, flooding). Applied after penalties. */
  objective?(inner: Objective, ctx: ObjectiveContext): Objective;
  /** Gradient transformation: "pre" plugins act on raw gradients before the optimizer, others on its updates after it. */
  readonly transform?: GradientTransformation<S>;
  /** Stochastic layers: act on hidden activations at model sites. */
  site?(h: Tensor, site: Site, ctx: ForwardHookContext): Tensor;
  /** Stochastic parameters: perturb the parameters used by the forward pass (weight noise, DropConnect). */
  forwardParams?(params: Tree, ctx: ForwardHookContext): Tree;

  beforeFit?(ctx: FitContext): MaybePromise<void>;
  beforeEpoch?(ctx: FitContext): MaybePromise<void>;
  /** May return a replacement batch (augmentation, input noise, label noise). */
  beforeBatch?(batch: Batch, ctx: FitContext): Batch | void;
  afterForward?(ctx: FitContext): void;
  afterLoss?(ctx: FitContext): void;
  beforeStep?(ctx: FitContext): void;
  afterStep?(ctx: FitContext): void;
  afterBatch?(ctx: FitContext): void;
  afterEpoch?(ctx: FitContext): MaybePromise<void>;
  afterFit?(ctx: FitContext): MaybePromise<void>;
  /**
   * The fit failed (NaN, a plugin or schedule threw, …): runs on every plugin instead of the closing
   * afterEpoch/afterFit, before `fit` rethrows. `ctx.params` are the last good parameters and
   * `ctx.setParams` replaces what the error reports as `error.params` (early stopping restores its
   * best here); the resumable `error.state` was taken before and is not changed. Its own errors are
   * reported through `onNotice`, never instead of the original error.
   */
  onError?(error: unknown, ctx: FitContext): MaybePromise<void>;

  /**
   * What the plugin hands back to the caller (SWA/EMA averages, snapshots, posterior samples: parameter
   * trees it owns). Called once after afterFit; `fit()` returns it as `result.plugins[name]`. To survive
   * an interruption, keep those trees in `saveState` too (tensors serialise with the TrainState).
   */
  result?(): unknown;

  /** JSON-serialisable internal state for exact resume (besides the transform state, which the runner saves). */
  saveState?(): unknown;
  loadState?(state: unknown): void;
}
