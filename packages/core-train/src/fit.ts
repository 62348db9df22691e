import {
  PRNGKey, Tensor, type Tree, add, foldIn, foldInString, noGrad, reshape, stopGradient, take, tidy,
  treeFlatten, treeUnflatten, valueAndGrad,
} from "@regularize/core-autodiff";
import { batchesPerEpoch, epochOrder } from "./data-order.js";
import { FitOptionsError, NonFiniteLossError, type NonFiniteSource, PluginError, StateError, TrainError } from "./errors.js";
import { now, yieldToEventLoop } from "./event-loop.js";
import { type FitOptions, type FitResult, type ResolvedFitOptions, type StopReason, resolveFitOptions } from "./fit-options.js";
import type { EpochRecord, History, StepRecord } from "./history.js";
import type { Model } from "./model.js";
import { accuracy } from "./predict.js";
import { PluginForward, pluginFailure } from "./plugin-forward.js";
import type { Batch, CancelScope, Dataset, FitContext, FitEvent, Objective, ObjectiveContext, Plugin } from "./plugin.js";
import type { EpochAccumulator, TrainState } from "./train-state.js";
import { leafPaths } from "./tree-paths.js";

type BatchEvent = "beforeBatch" | "afterForward" | "afterLoss" | "beforeStep" | "afterStep" | "afterBatch";
type SyncHook = Exclude<BatchEvent, "beforeBatch">;
type AsyncHook = "beforeFit" | "beforeEpoch" | "afterEpoch" | "afterFit";
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const EMPTY_ACC: EpochAccumulator = Object.freeze({ lossSum: 0, dataLossSum: 0, count: 0, batches: 0 });
const CANCEL_RANK: Record<CancelScope, number> = { batch: 1, epoch: 2, fit: 3 };

/**
 * Train `model` with `optimizer` and `plugins` (see the README's hook interface). Async: fit- and
 * epoch-level hooks are awaited, the event loop gets a turn every `yieldEveryMs`, and `signal`
 * is checked between steps. Same options and key ⇒ identical run; `initialState` resumes exactly.
 * @example const { params, history } = await fit({ model: mlp({ widths: [40, 100, 10] }), data, loss: "crossEntropy", optimizer: sgd, batchSize: 100, epochs: 5, seed: 1 });
 */
export async function fit<P extends Tree>(options: FitOptions<P>): Promise<FitResult<P>> {
  const resolved = resolveFitOptions(options);
  return new FitRun<P>(resolved, options).run();
}

/** One fit in progress: the mutable state the hooks observe through their contexts. */
class FitRun<P extends Tree> {
  // keys
  private readonly root: PRNGKey;
  private readonly dataKey: PRNGKey;
  private readonly stepRoot: PRNGKey;
  private readonly epochRoot: PRNGKey;
  private readonly fitRoot: PRNGKey;
  private readonly evalRoot: PRNGKey;
  private keyStep = -1;
  private stepKey: PRNGKey | undefined;
  private readonly pluginKeys: (PRNGKey | undefined)[];

  // training state
  params: Tree;
  private optState: unknown;
  private tStates: unknown[];
  step = 0;
  epoch = 0;
  private batchInEpoch = 0;
  private inEpoch = false;
  private acc: Mutable<EpochAccumulator> = { ...EMPTY_ACC };
  readonly resumed: boolean;
  private readonly paths: string[];
  private readonly shapes: (readonly number[])[];

  // current event state, read by contexts
  event: FitEvent = "beforeFit";
  batch: Batch | undefined;
  loss: number | undefined;
  dataLoss: number | undefined;
  pred: Tensor | undefined;
  grads: Tree | undefined;
  epochMetrics: Record<string, number> | undefined;
  private cancelled: CancelScope | null = null;
  private fitCancelled = false;
  private row: Mutable<StepRecord> | undefined;
  private pendingLogs: Record<string, number> | undefined;

  readonly history: { steps: StepRecord[]; epochs: EpochRecord[]; summary: Record<string, number> } = { steps: [], epochs: [], summary: {} };
  readonly nb: number;
  readonly totalSteps: number | undefined;
  private readonly identity: Int32Array;
  private order: Int32Array | undefined;
  readonly trainForward: PluginForward;
  private readonly evalForward: PluginForward;
  private readonly contexts: FitContext[];
  private readonly octxs: ObjectiveContext[];
  private readonly hooks: Record<SyncHook | AsyncHook | "beforeBatch" | "penalty" | "objective", number[]>;
  private readonly preT: number[] = [];
  private readonly postT: number[] = [];

  constructor(readonly o: ResolvedFitOptions<P>, private readonly raw: FitOptions<P>) {
    const plugins = o.plugins;
    const state = raw.initialState;
    if (state !== undefined) checkState(state, o);
    if (state !== undefined && raw.key !== undefined && (state.key[0] !== raw.key.k0 || state.key[1] !== raw.key.k1)) {
      throw new FitOptionsError("key", `differs from initialState's key; omit key/seed when resuming`);
    }
    this.root = state !== undefined ? keyFromWords(state.key) : o.key;
    this.dataKey = foldInString(this.root, "data");
    this.stepRoot = foldInString(this.root, "step");
    this.epochRoot = foldInString(this.root, "epoch");
    this.fitRoot = foldInString(this.root, "fit");
    this.evalRoot = foldInString(this.root, "eval");
    this.pluginKeys = plugins.map(() => undefined);
    this.nb = batchesPerEpoch(o.n, o.batchSize, o.dropLast);
    if (this.nb === 0) throw new FitOptionsError("batchSize", `${o.batchSize} with dropLast leaves no batch of ${o.n} examples`);
    const byEpochs = o.epochs === undefined ? undefined : o.epochs * this.nb;
    this.totalSteps = o.steps === undefined ? byEpochs : byEpochs === undefined ? o.steps : Math.min(o.steps, byEpochs);
    this.identity = Int32Array.from({ length: o.n }, (_, i) => i);

    const hookList = (h: keyof Plugin) => plugins.flatMap((p, i) => (p[h] !== undefined ? [i] : []));
    this.hooks = {
      beforeFit: hookList("beforeFit"), beforeEpoch: hookList("beforeEpoch"), beforeBatch: hookList("beforeBatch"),
      afterForward: hookList("afterForward"), afterLoss: hookList("afterLoss"), beforeStep: hookList("beforeStep"),
      afterStep: hookList("afterStep"), afterBatch: hookList("afterBatch"), afterEpoch: hookList("afterEpoch"),
      afterFit: hookList("afterFit"), penalty: hookList("penalty"), objective: hookList("objective"),
    };
    plugins.forEach((p, i) => {
      if (p.transform) (p.enforce === "pre" ? this.preT : this.postT).push(i);
    });

    const model = o.model as Model<Tree>;
    this.trainForward = new PluginForward(model, plugins, "train", plugins.map(() => true), (i) => this.pluginStepKey(i), () => this.step);
    this.evalForward = new PluginForward(model, plugins, "eval", plugins.map(() => false), (i) => foldInString(this.evalRoot, plugins[i]!.name), () => this.step);
    this.contexts = plugins.map((_, i) => new PluginContext(this, i));
    this.octxs = plugins.map((_, i) => this.objectiveContext(i));

    // Initial state: the resumed one, or fresh params/optimizer/transform states.
    if (state !== undefined) {
      this.params = state.params;
      this.optState = state.optimizer;
      this.tStates = plugins.map((p) => (p.transform ? state.transforms[p.name] : undefined));
      this.step = state.step;
      this.epoch = state.epoch;
      this.batchInEpoch = state.batchInEpoch;
      this.inEpoch = state.inEpoch;
      this.acc = { ...state.epochStats };
      this.resumed = true;
    } else {
      this.params = raw.params ?? model.init(foldInString(this.root, "init"));
      this.optState = o.optimizer.init(this.params);
      this.tStates = plugins.map((p) => {
        if (!p.transform) return undefined;
        try {
          return p.transform.init(this.params);
        } catch (e) {
          return pluginFailure(e, p.name, "transform.init");
        }
      });
      this.resumed = false;
    }
    this.paths = leafPaths(this.params);
    this.shapes = treeFlatten(this.params)[0].map((l) => l.shape);
  }

  // ---- keys -------------------------------------------------------------------------------

  /** The current step's key: foldIn(foldInString(root, "step"), step), computed once per step. */
  private currentStepKey(): PRNGKey {
    if (this.keyStep !== this.step) {
      this.keyStep = this.step;
      this.stepKey = undefined;
      this.pluginKeys.fill(undefined);
    }
    return (this.stepKey ??= foldIn(this.stepRoot, this.step));
  }

  /** Plugin i's key for the current step: foldInString(stepKey, name). */
  pluginStepKey(i: number): PRNGKey {
    const sk = this.currentStepKey();
    return (this.pluginKeys[i] ??= foldInString(sk, this.o.plugins[i]!.name));
  }

  /** Plugin i's key for the current event (distinct per event, step, epoch). */
  eventKey(i: number): PRNGKey {
    const name = this.o.plugins[i]!.name;
    switch (this.event) {
      case "beforeFit":
      case "afterFit":
        return foldInString(foldInString(this.fitRoot, name), this.event);
      case "beforeEpoch":
      case "afterEpoch":
        return foldInString(foldInString(foldIn(this.epochRoot, this.epoch), name), this.event);
      default:
        return foldInString(this.pluginStepKey(i), this.event);
    }
  }

  private objectiveContext(i: number): ObjectiveContext {
    const run = this;
    return {
      get batch() {
        return run.batch!;
      },
      get step() {
        return run.step;
      },
      get key() {
        return foldInString(run.pluginStepKey(i), "objective");
      },
      forward: (params, x) => run.trainForward.forward(params, x),
      dataLoss: (params, b) => run.o.loss(run.trainForward.forward(params, b.x), b),
    };
  }

  // ---- services for contexts -----------------------------------------------------------------

  requestCancel(scope: CancelScope): void {
    if (!Object.hasOwn(CANCEL_RANK, scope)) throw new TrainError(`cancel: scope must be "batch", "epoch" or "fit", got ${JSON.stringify(scope)}`);
    if (this.cancelled === null || CANCEL_RANK[scope] > CANCEL_RANK[this.cancelled]) this.cancelled = scope;
    if (scope === "fit") this.fitCancelled = true;
  }

  setParams(p: Tree): void {
    const leaves = treeFlatten(p)[0];
    if (leaves.length !== this.shapes.length || leaves.some((l, j) => !sameShape(l.shape, this.shapes[j]!))) {
      throw new TrainError(`setParams: the new parameters must have the structure and shapes of the current ones`);
    }
    this.params = p;
  }

  log(name: string, value: number): void {
    if (typeof value !== "number") throw new TrainError(`log("${name}"): value must be a number, got ${typeof value}`);
    switch (this.event) {
      case "beforeFit":
      case "afterFit":
        this.history.summary[name] = value;
        return;
      case "beforeEpoch":
      case "afterEpoch":
        (this.epochMetrics ??= {})[name] = value;
        return;
      default:
        if (this.row !== undefined) this.row[name] = value;
        else (this.pendingLogs ??= {})[name] = value;
    }
  }

  evaluate(params: Tree, data: Dataset): { loss: number; accuracy?: number } {
    return noGrad(() => {
      const pred = this.evalForward.forward(params, data.x);
      const loss = this.o.loss(pred, data).item();
      const acc = accuracy(pred, data.y);
      return acc === undefined ? { loss } : { loss, accuracy: acc };
    });
  }

  // ---- dispatch ------------------------------------------------------------------------------

  /** Synchronous batch-level event; a before-type event stops at the first cancel, after* events reach every plugin. */
  private dispatch(event: SyncHook, isAfter: boolean): void {
    this.event = event;
    for (const i of this.hooks[event]) {
      const p = this.o.plugins[i]!;
      let r: unknown;
      try {
        r = p[event]!(this.contexts[i]!);
      } catch (e) {
        pluginFailure(e, p.name, event);
      }
      if (isThenable(r)) throw asyncBatchHook(p.name, event);
      if (!isAfter && this.cancelled !== null) return;
    }
  }

  private async dispatchAsync(event: AsyncHook, isAfter: boolean): Promise<void> {
    this.event = event;
    for (const i of this.hooks[event]) {
      const p = this.o.plugins[i]!;
      try {
        const r = p[event]!(this.contexts[i]!);
        if (isThenable(r)) await r;
      } catch (e) {
        pluginFailure(e, p.name, event);
      }
      if (!isAfter && this.cancelled !== null) return;
    }
  }

  // ---- the loop ------------------------------------------------------------------------------

  async run(): Promise<FitResult<P>> {
    const { o } = this;
    const t0 = now();
    let lastYield = t0;
    const progressEvery = o.progressEvery ?? (this.totalSteps !== undefined ? Math.max(1, Math.round(this.totalSteps / 100)) : 10);
    const signal = this.raw.signal;
    const onProgress = this.raw.onProgress;
    const onCheckpoint = this.raw.onCheckpoint;
    const report = () => onProgress?.({
      step: this.step, epoch: this.epoch, totalSteps: this.totalSteps,
      fraction: this.totalSteps ? Math.min(1, this.step / this.totalSteps) : undefined,
      loss: this.lastLoss, elapsedMs: now() - t0,
    });

    await this.dispatchAsync("beforeFit", false);
    if (this.raw.initialState !== undefined) this.loadPluginStates(this.raw.initialState);

    let stopped: StopReason = "completed";
    loop: while (true) {
      if (this.fitCancelled) { stopped = "cancelled"; break; }
      if (signal?.aborted) { stopped = "aborted"; break; }
      if (this.budgetReached()) break;
      this.cancelled = null;
      if (!this.inEpoch) {
        this.inEpoch = true;
        this.acc = { ...EMPTY_ACC };
        this.epochMetrics = undefined;
        this.order = undefined;
        await this.dispatchAsync("beforeEpoch", false);
      }
      this.order ??= epochOrder(this.dataKey, this.epoch, o.n, o.batchSize, o.shuffle, this.identity);
      let checkpointDue = false;
      while (this.batchInEpoch < this.nb && (this.cancelled === null || this.cancelled === "batch")) {
        if (this.budgetReached()) break;
        if (signal?.aborted) { stopped = "aborted"; break loop; }
        this.cancelled = null;
        this.runBatch();
        if (this.step % progressEvery === 0) report();
        if (this.raw.checkpointEvery !== undefined && this.step % this.raw.checkpointEvery === 0) {
          if (this.batchInEpoch < this.nb) await onCheckpoint?.(this.snapshot());
          else checkpointDue = true;
        }
        if (o.yieldEveryMs === 0 || now() - lastYield >= o.yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
      const epochDone = this.batchInEpoch >= this.nb || this.cancelled === "epoch";
      if (!epochDone) {
        if (this.fitCancelled) stopped = "cancelled";
        break;
      }
      await this.closeEpoch();
      if (checkpointDue) await onCheckpoint?.(this.snapshot());
    }
    // The resumable state is taken before the closing hooks, which may change params (early stopping's restore).
    const state = this.snapshot();
    if (this.inEpoch) await this.closeEpoch();
    this.cancelled = null;
    await this.dispatchAsync("afterFit", true);
    report();
    return { params: this.params as P, history: this.history, state, stopped, plugins: this.pluginResults() };
  }

  private lastLoss = NaN;

  /** Plugin-owned results (see Plugin.result), collected after afterFit. */
  private pluginResults(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of this.o.plugins) {
      if (!p.result) continue;
      try {
        out[p.name] = p.result();
      } catch (e) {
        pluginFailure(e, p.name, "result");
      }
    }
    return out;
  }

  private budgetReached(): boolean {
    const { epochs, steps } = this.o;
    return (epochs !== undefined && this.epoch >= epochs) || (steps !== undefined && this.step >= steps);
  }

  /** One batch: beforeBatch → step (forward, loss, gradients, update) → afterBatch. Synchronous. */
  private runBatch(): void {
    const { o } = this;
    const full = o.batchSize >= o.n;
    let batch: Batch;
    if (full) {
      batch = { x: o.data.x, y: o.data.y, indices: this.identity };
    } else {
      const start = this.batchInEpoch * o.batchSize;
      const indices = this.order!.subarray(start, Math.min(o.n, start + o.batchSize));
      const idx = new Tensor(indices, [indices.length], "int32");
      batch = { x: take(o.data.x, idx, 0), y: take(o.data.y, idx, 0), indices };
    }
    this.batch = batch;
    this.loss = this.dataLoss = this.pred = this.grads = undefined;
    this.row = undefined;
    this.pendingLogs = undefined;

    this.event = "beforeBatch";
    for (const i of this.hooks.beforeBatch) {
      const p = o.plugins[i]!;
      let r: Batch | void;
      try {
        r = p.beforeBatch!(batch, this.contexts[i]!);
      } catch (e) {
        pluginFailure(e, p.name, "beforeBatch");
      }
      if (isThenable(r)) throw asyncBatchHook(p.name, "beforeBatch");
      if (r !== undefined) {
        if (r === null || typeof r !== "object" || !(r.x instanceof Tensor) || !(r.y instanceof Tensor)) {
          throw new PluginError(p.name, "beforeBatch", new TypeError("must return a Batch { x, y } or nothing"));
        }
        this.batch = batch = r;
      }
      if (this.cancelled !== null) break;
    }

    let computed = false;
    if (this.cancelled === null) computed = this.trainStep(batch);
    this.dispatch("afterBatch", true);

    // hooks ran since the reset above, so re-read the fields TypeScript narrowed
    const logs = this.pendingLogs as Record<string, number> | undefined;
    if (this.row === undefined && logs !== undefined && this.step % o.logEvery === 0) {
      this.history.steps.push({ step: this.step, epoch: this.epoch, loss: NaN, dataLoss: NaN, ...logs });
    }
    if (computed) {
      this.acc.lossSum += this.loss!;
      this.acc.dataLossSum += this.dataLoss!;
      this.acc.count++;
    }
    this.acc.batches++;
    this.step++;
    this.batchInEpoch++;
  }

  /** Objective, gradients, transforms, update; returns whether a loss was computed. */
  private trainStep(batch: Batch): boolean {
    // Without plugins nothing can hold on to a tensor of the step but the new params and optimizer
    // state, so the step runs in a `tidy` scope: its temporaries reuse the same memory every step
    // instead of fresh buffers (the results are copied out). Plugins may keep tensors they saw
    // (ctx.grads, power-iteration vectors...), so with plugins every tensor is a fresh buffer.
    const scoped = this.o.plugins.length === 0;
    const r = scoped ? tidy(() => this.computeStep(batch)) : this.computeStep(batch);
    if (scoped) this.grads = this.pred = undefined;
    if (r === null) return true;
    // Commit only now: a failure above leaves params and every state as they were.
    this.params = r.next;
    this.optState = r.optState;
    this.tStates = r.tStates;
    this.dispatch("afterStep", false);
    return true;
  }

  /** The step up to the commit; null when a hook cancelled before the update. */
  private computeStep(batch: Batch): { next: Tree; optState: unknown; tStates: unknown[] } | null {
    const { o } = this;
    const [value, grads] = valueAndGrad(this.buildObjective(batch))(this.params);
    const loss = value.data[0]!;
    const check = this.raw.checkFinite ?? true;
    if (check && !Number.isFinite(loss)) this.nonFinite("loss", undefined, loss);
    const gLeaves = treeFlatten(grads)[0];
    let sq = 0;
    for (let j = 0; j < gLeaves.length; j++) {
      const d = gLeaves[j]!.data;
      for (let k = 0; k < d.length; k++) {
        const v = d[k]!;
        sq += v * v;
      }
      if (check && !Number.isFinite(sq)) {
        for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k]!)) this.nonFinite("gradient", this.paths[j], d[k]!);
      }
    }
    this.loss = this.lastLoss = loss;
    this.grads = grads;
    this.dataLoss ??= loss;
    if (this.step % o.logEvery === 0) {
      const hp = o.optimizer.hyperparams?.(this.optState, this.step);
      this.row = { step: this.step, epoch: this.epoch, loss, dataLoss: this.dataLoss, gradNorm: Math.sqrt(sq), ...hp, ...this.pendingLogs };
      this.pendingLogs = undefined;
      this.history.steps.push(this.row);
    }

    this.dispatch("afterForward", false);
    if (this.cancelled === null) this.dispatch("afterLoss", false);
    if (this.cancelled === null) this.dispatch("beforeStep", false);
    if (this.cancelled !== null) return null;

    // Gradient pipeline: "pre" transforms on raw gradients, the optimizer, then the others on its updates.
    const tStates = this.tStates.slice();
    let u: Tree = grads;
    const runT = (i: number) => {
      const p = o.plugins[i]!;
      try {
        const r = p.transform!.update(u, tStates[i], this.params, this.step, foldInString(this.pluginStepKey(i), "transform"));
        [u, tStates[i]] = r;
      } catch (e) {
        pluginFailure(e, p.name, "transform.update");
      }
    };
    for (const i of this.preT) runT(i);
    const [ou, optState] = o.optimizer.update(u, this.optState, this.params, this.step, foldInString(this.currentStepKey(), "optimizer"));
    u = ou;
    for (const i of this.postT) runT(i);
    return { next: this.applyUpdates(u, check), optState, tStates };
  }

  private buildObjective(batch: Batch): Objective {
    const { o } = this;
    let first = true;
    const penalties = this.hooks.penalty;
    const base: Objective = (p) => {
      const pred = this.trainForward.forward(p, batch.x);
      let l = o.loss(pred, batch);
      if (first) {
        first = false;
        this.pred = stopGradient(pred);
        this.dataLoss = l.data[0];
      }
      for (const i of penalties) {
        const pl = o.plugins[i]!;
        let pen: Tensor;
        try {
          pen = pl.penalty!(p, this.octxs[i]!);
        } catch (e) {
          pluginFailure(e, pl.name, "penalty");
        }
        if (!(pen instanceof Tensor) || pen.size !== 1) {
          throw new PluginError(pl.name, "penalty", new TypeError(`must return a scalar tensor, got ${pen instanceof Tensor ? `shape [${pen.shape.join(", ")}]` : typeof pen}`));
        }
        l = add(l, pen.ndim === 0 ? pen : reshape(pen, []));
      }
      return l;
    };
    let obj = base;
    for (const i of this.hooks.objective) {
      const pl = o.plugins[i]!;
      let wrapped: Objective;
      try {
        wrapped = pl.objective!(obj, this.octxs[i]!);
      } catch (e) {
        pluginFailure(e, pl.name, "objective");
      }
      if (typeof wrapped !== "function") throw new PluginError(pl.name, "objective", new TypeError("must return an Objective (params) => Tensor"));
      obj = (p) => {
        try {
          return wrapped(p);
        } catch (e) {
          return pluginFailure(e, pl.name, "objective");
        }
      };
    }
    return obj;
  }

  private applyUpdates(updates: Tree, check: boolean): Tree {
    const [pl, def] = treeFlatten(this.params);
    let ul: Tensor[];
    try {
      ul = treeFlatten(updates)[0];
    } catch (e) {
      throw new TrainError(`the optimizer/transforms returned updates that are not a tree of tensors`, { cause: e });
    }
    if (ul.length !== pl.length) throw new TrainError(`the optimizer/transforms returned ${ul.length} update leaves for ${pl.length} parameter leaves`);
    const out = new Array<Tensor>(pl.length);
    for (let j = 0; j < pl.length; j++) {
      const p = pl[j]!, u = ul[j]!;
      if (!sameShape(p.shape, u.shape)) throw new TrainError(`update of ${this.paths[j]} has shape [${u.shape.join(", ")}], parameter has [${p.shape.join(", ")}]`);
      if (check) {
        const d = u.data;
        for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k]!)) this.nonFinite("update", this.paths[j], d[k]!);
      }
      out[j] = add(p, u);
    }
    return treeUnflatten(def, out);
  }

  private nonFinite(source: NonFiniteSource, leaf: string | undefined, value: number): never {
    throw new NonFiniteLossError({
      step: this.step, source, ...(leaf !== undefined ? { leaf } : {}), value,
      params: this.params, state: this.snapshot(), history: this.history,
    });
  }

  /** Epoch metrics, validation, afterEpoch, the epoch row; then the next epoch. */
  private async closeEpoch(): Promise<void> {
    const { o } = this;
    const m: Record<string, number> = { ...this.epochMetrics };
    const a = this.acc;
    if (a.count > 0) {
      m.trainLoss = a.lossSum / a.count;
      m.trainDataLoss = a.dataLossSum / a.count;
    }
    if (o.validation !== undefined && (this.epoch + 1) % o.evaluateEvery === 0) {
      const ev = this.evaluate(this.params, o.validation);
      m.valLoss = ev.loss;
      if (ev.accuracy !== undefined) m.valAccuracy = ev.accuracy;
    }
    if (this.raw.evaluateTrain) {
      const ev = this.evaluate(this.params, o.data);
      m.trainEvalLoss = ev.loss;
      if (ev.accuracy !== undefined) m.trainAccuracy = ev.accuracy;
    }
    this.epochMetrics = m;
    this.cancelled = null;
    this.batch = undefined;
    await this.dispatchAsync("afterEpoch", true);
    this.history.epochs.push({ epoch: this.epoch, step: this.step, batches: a.batches, ...this.epochMetrics });
    this.epoch++;
    this.batchInEpoch = 0;
    this.inEpoch = false;
    this.order = undefined;
    this.epochMetrics = undefined;
    this.cancelled = null;
  }

  private loadPluginStates(state: TrainState): void {
    for (const p of this.o.plugins) {
      if (!p.loadState || !Object.hasOwn(state.plugins, p.name)) continue;
      try {
        p.loadState(state.plugins[p.name]);
      } catch (e) {
        pluginFailure(e, p.name, "loadState");
      }
    }
  }

  /** A resumable TrainState of the run as it is now. */
  snapshot(): TrainState {
    const { o } = this;
    const transforms: Record<string, unknown> = {};
    const plugins: Record<string, unknown> = {};
    o.plugins.forEach((p, i) => {
      if (p.transform) transforms[p.name] = this.tStates[i];
      if (p.saveState) {
        try {
          plugins[p.name] = p.saveState();
        } catch (e) {
          pluginFailure(e, p.name, "saveState");
        }
      }
    });
    return {
      version: 1, params: this.params, optimizer: this.optState, transforms, plugins,
      step: this.step, epoch: this.epoch, batchInEpoch: this.batchInEpoch, inEpoch: this.inEpoch,
      epochStats: { ...this.acc }, key: [this.root.k0, this.root.k1],
      data: { n: o.n, batchSize: o.batchSize, shuffle: o.shuffle, dropLast: o.dropLast },
    };
  }
}

/** The FitContext a plugin's event hooks receive: a live, read-mostly view of the run. */
class PluginContext implements FitContext {
  constructor(private readonly run: FitRun<Tree>, private readonly i: number) {}
  get step() { return this.run.step; }
  get epoch() { return this.run.epoch; }
  get params() { return this.run.params; }
  get batch() { return this.run.batch; }
  get loss() { return this.run.loss; }
  get key() { return this.run.eventKey(this.i); }
  get event() { return this.run.event; }
  get mode() { return "train" as const; }
  get pred() { return this.run.pred; }
  get dataLoss() { return this.run.dataLoss; }
  get grads() { return this.run.grads; }
  get data() { return this.run.o.data; }
  get validation() { return this.run.o.validation; }
  get metrics() { return this.run.epochMetrics; }
  get stepsPerEpoch() { return this.run.nb; }
  get totalSteps() { return this.run.totalSteps; }
  get resumed() { return this.run.resumed; }
  get history(): History { return this.run.history; }
  cancel(scope: CancelScope): void { this.run.requestCancel(scope); }
  setParams(params: Tree): void { this.run.setParams(params); }
  log(name: string, value: number): void { this.run.log(name, value); }
  evaluate(params: Tree, data: { x: Tensor; y: Tensor }) { return this.run.evaluate(params, data); }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
}

// Batch-level hooks run in the synchronous hot loop; a promise returned there would be dropped silently.
function asyncBatchHook(plugin: string, hook: string): PluginError {
  return new PluginError(plugin, hook, new TypeError(`returned a promise; batch-level hooks must be synchronous (do async work in beforeEpoch/afterEpoch/beforeFit/afterFit)`));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function keyFromWords(w: readonly [number, number]): PRNGKey {
  return new PRNGKey(w[0] >>> 0, w[1] >>> 0);
}

/** Validate a TrainState against the run's options before any work. */
function checkState(state: TrainState, o: ResolvedFitOptions<Tree>): void {
  if (state === null || typeof state !== "object" || state.version !== 1) throw new StateError(`initialState is not a TrainState of version 1`);
  if (!Array.isArray(state.key) || state.key.length !== 2) throw new StateError(`initialState.key must be two uint32 words`);
  const d = state.data;
  const midEpoch = state.inEpoch && state.batchInEpoch > 0;
  if (midEpoch && (d.n !== o.n || d.batchSize !== o.batchSize || d.shuffle !== o.shuffle || d.dropLast !== o.dropLast)) {
    throw new StateError(`initialState stopped mid-epoch with n=${d.n}, batchSize=${d.batchSize}, shuffle=${d.shuffle}, dropLast=${d.dropLast}; resume with the same data and batching (now n=${o.n}, batchSize=${o.batchSize}, shuffle=${o.shuffle}, dropLast=${o.dropLast})`);
  }
  const want = (kind: "transforms" | "plugins", has: (p: Plugin) => boolean) => {
    const saved = Object.keys(state[kind]).sort();
    const now = o.plugins.filter(has).map((p) => p.name).sort();
    if (saved.join("\u0000") !== now.join("\u0000")) {
      throw new StateError(`initialState holds ${kind === "transforms" ? "transform" : "plugin"} state for [${saved.join(", ")}] but this run's plugins with ${kind === "transforms" ? "a transform" : "saveState"} are [${now.join(", ")}]`);
    }
  };
  want("transforms", (p) => p.transform !== undefined);
  want("plugins", (p) => p.saveState !== undefined);
}
