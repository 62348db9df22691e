import { Tensor, type Tree, foldInString, noGrad, treeFlatten } from "@regularize/core-autodiff";
import { batchesPerEpoch, epochOrder, gatherRows } from "./data-order.js";
import { FitOptionsError, NonFiniteLossError, PluginError, TrainError, attachFailure } from "./errors.js";
import { now, yieldToEventLoop } from "./event-loop.js";
import { checkState, checkStateParams, keyFromWords, loadPluginStates, snapshot } from "./fit-checkpoint.js";
import { PluginContext, type RunView } from "./fit-context.js";
import { HistoryRecorder } from "./fit-history.js";
import { type FitOptions, type FitResult, type ResolvedFitOptions, type StopReason, resolveFitOptions } from "./fit-options.js";
import { ProgressReporter } from "./fit-progress.js";
import { type GradResult, StepNonFinite, StepProgram, sameShape } from "./fit-step.js";
import { StepRunner } from "./fit-step-runner.js";
import { RunKeys } from "./fit-keys.js";
import type { History } from "./history.js";
import type { Model } from "./model.js";
import { accuracy } from "./predict.js";
import { type BatchEvent, type FitLevelEvent, PluginHooks, asyncBatchHook, isThenable } from "./plugin-dispatch.js";
import { PluginForward } from "./plugin-forward.js";
import type { Batch, CancelScope, Dataset, FitContext, FitEvent } from "./plugin.js";
import type { EpochAccumulator, TrainState } from "./train-state.js";
import { leafPaths } from "./tree-paths.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const EMPTY_ACC: EpochAccumulator = Object.freeze({ lossSum: 0, dataLossSum: 0, count: 0, batches: 0 });
const CANCEL_RANK: Record<CancelScope, number> = { batch: 1, epoch: 2, fit: 3 };

/**
 * Train `model` with `optimizer` and `plugins` (see the README's hook interface). Each step is
 * compiled by default (recorded once with `jit`, replayed after; `compile: false` opts out, with
 * the same bits). Async: fit- and epoch-level hooks are awaited, the event loop gets a turn every
 * `yieldEveryMs`, and `signal` is checked between steps. Same options and key ⇒ identical run;
 * `initialState` resumes exactly.
 * @example const { params, history } = await fit({ model: mlp({ widths: [40, 100, 10] }), data, loss: "crossEntropy", optimizer: sgd, batchSize: 100, epochs: 5, seed: 1 });
 */
export async function fit<P extends Tree>(options: FitOptions<P>): Promise<FitResult<P>> {
  const resolved = resolveFitOptions(options);
  return new FitRun<P>(resolved, options).run();
}

/**
 * One fit in progress. The concerns live in their own modules: options (fit-options), data order
 * (data-order), keys (fit-keys), the step (fit-step: what is computed; fit-step-runner: compiled or
 * eager), plugin dispatch (plugin-dispatch), history (fit-history), progress (fit-progress),
 * checkpoints (fit-checkpoint); this class holds the run's position and drives the loop.
 */
class FitRun<P extends Tree> implements RunView {
  // position (what a TrainState saves)
  params: Tree;
  private opt: unknown;
  private tStates: unknown[];
  private sStates: readonly unknown[];
  step = 0;
  epoch = 0;
  private batchInEpoch = 0;
  private inEpoch = false;
  private acc: Mutable<EpochAccumulator> = { ...EMPTY_ACC };
  readonly resumed: boolean;

  // the current event, read by the plugins' contexts
  event: FitEvent = "beforeFit";
  batch: Batch | undefined;
  loss: number | undefined;
  dataLoss: number | undefined;
  pred: Tensor | undefined;
  grads: Tree | undefined;
  private cancelled: CancelScope | null = null;
  private fitCancelled = false;
  private lastLoss = NaN;
  private observed = false;
  private hp: Readonly<Record<string, number>> | undefined;
  /** The current batch's update is committed but the batch is not yet counted (a later hook may still fail). */
  private applied = false;
  /** The resumable state taken when the loop stopped (before the closing hooks). */
  private closingState: TrainState | undefined;
  private readonly notify: (message: string) => void;

  private readonly keys: RunKeys;
  private readonly hooks: PluginHooks;
  private readonly contexts: FitContext[];
  private readonly runner: StepRunner;
  private readonly evalForward: PluginForward;
  private readonly rec = new HistoryRecorder();
  private readonly notices: string[] = [];
  private readonly paths: string[];
  private readonly shapes: (readonly number[])[];
  private readonly identity: Int32Array;
  private readonly donating: boolean;
  private order: Int32Array | undefined;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number | undefined;
  private readonly isCancelled = (): boolean => this.cancelled !== null;

  constructor(readonly o: ResolvedFitOptions<P>, private readonly raw: FitOptions<P>) {
    const plugins = o.plugins;
    const state = raw.initialState;
    if (state !== undefined) checkState(state, o as ResolvedFitOptions<Tree>);
    if (state !== undefined && raw.key !== undefined && (state.key[0] !== raw.key.k0 || state.key[1] !== raw.key.k1)) {
      throw new FitOptionsError("key", `differs from initialState's key; omit key/seed when resuming`);
    }
    this.keys = new RunKeys(state !== undefined ? keyFromWords(state.key) : o.key);
    this.stepsPerEpoch = batchesPerEpoch(o.n, o.batchSize, o.dropLast);
    if (this.stepsPerEpoch === 0) throw new FitOptionsError("batchSize", `${o.batchSize} with dropLast leaves no batch of ${o.n} examples`);
    const byEpochs = o.epochs === undefined ? undefined : o.epochs * this.stepsPerEpoch;
    this.totalSteps = o.steps === undefined ? byEpochs : byEpochs === undefined ? o.steps : Math.min(o.steps, byEpochs);
    this.identity = Int32Array.from({ length: o.n }, (_, i) => i);

    const hooks = (this.hooks = new PluginHooks(plugins));
    this.contexts = plugins.map((_, i) => new PluginContext(this, i));
    this.evalForward = new PluginForward(o.model as Model<Tree>, plugins, "eval", plugins.map(() => false), (i) => foldInString(this.keys.eval, plugins[i]!.name), () => this.step);

    // the step: compiled unless opted out; plugins' declarations decide memory reuse and fallbacks
    const keeps = plugins.filter((p) => p.keepsTensors === true).map((p) => p.name);
    const refuses = plugins.filter((p) => p.compile === false).map((p) => `"${p.name}"`);
    const mid = hooks.with.afterForward.length + hooks.with.afterLoss.length + hooks.with.beforeStep.length > 0;
    const views = mid || hooks.with.afterStep.length + hooks.with.afterBatch.length > 0;
    this.donating = o.compile && keeps.length === 0;
    const prog = new StepProgram(o as ResolvedFitOptions<Tree>, hooks, raw.checkFinite ?? true, (i) => {
      this.runner?.noteFrozenRead(`plugin "${plugins[i]!.name}" read ctx.step`);
      return this.step;
    }, (what) => this.runner?.noteFrozenRead(what));
    const userNotify = raw.onNotice ?? ((m: string) => console.warn(m));
    const notify = (this.notify = (m: string) => { this.notices.push(m); userNotify(m); });
    this.runner = new StepRunner(prog, {
      compile: o.compile,
      notCompilable: refuses.length === 0 ? undefined : `plugin${refuses.length > 1 ? "s" : ""} ${refuses.join(", ")} declare${refuses.length > 1 ? "" : "s"} compile: false`,
      scope: o.memoryScope && keeps.length === 0,
      donate: this.donating,
      views,
      split: mid,
      notify,
    });

    // initial state: the resumed one, or fresh params/optimizer/transform states
    if (state !== undefined) {
      checkStateParams(state, o.model.init(this.keys.init));
      this.params = state.params;
      this.opt = state.optimizer;
      this.tStates = plugins.map((p) => (p.transform ? state.transforms[p.name] : undefined));
      this.sStates = plugins.map((p) => (p.stepState ? state.stepStates?.[p.name] : undefined));
      this.step = state.step;
      this.epoch = state.epoch;
      this.batchInEpoch = state.batchInEpoch;
      this.inEpoch = state.inEpoch;
      this.acc = { ...state.epochStats };
      this.resumed = true;
    } else {
      this.params = raw.params ?? o.model.init(this.keys.init);
      this.opt = o.optimizer.init(this.params);
      this.tStates = plugins.map((p, i) => (p.transform ? hooks.call(i, "transform.init", () => p.transform!.init(this.params)) : undefined));
      this.sStates = plugins.map((p, i) => (p.stepState ? hooks.call(i, "stepState.init", () => p.stepState!.init(this.params)) : undefined));
      this.resumed = false;
    }
    this.paths = leafPaths(this.params);
    this.shapes = treeFlatten(this.params)[0].map((l) => l.shape);
  }

  // ---- what contexts read and ask -------------------------------------------------------------

  get data(): Dataset { return this.o.data; }
  get validation(): Dataset | undefined { return this.o.validation; }
  get epochMetrics(): Record<string, number> | undefined { return this.rec.epochMetrics; }
  get history(): History { return this.rec.history; }
  stepStateOf(i: number): unknown { return this.sStates[i]; }

  eventKey(i: number) {
    return this.keys.event(this.o.plugins[i]!.name, this.event, this.step, this.epoch);
  }

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
    this.rec.log(this.event, name, value);
  }

  evaluate(params: Tree, data: Dataset): { loss: number; accuracy?: number } {
    return noGrad(() => {
      const pred = this.evalForward.forward(params, data.x);
      const loss = this.o.loss(pred, data).item();
      const acc = accuracy(pred, data.y);
      return acc === undefined ? { loss } : { loss, accuracy: acc };
    });
  }

  private dispatch(event: BatchEvent): void {
    this.event = event;
    this.hooks.dispatch(event, this.contexts, this.isCancelled);
  }

  private dispatchAsync(event: FitLevelEvent): Promise<void> {
    this.event = event;
    return this.hooks.dispatchAsync(event, this.contexts, this.isCancelled);
  }

  // ---- the loop ------------------------------------------------------------------------------

  async run(): Promise<FitResult<P>> {
    try {
      return await this.loop();
    } catch (e) {
      throw await this.fail(e);
    }
  }

  /**
   * Every failure of a started run ends here: the position is made consistent (a batch whose update
   * was applied counts), the resumable state is taken (the NaN error's own, or the closing one),
   * every plugin's onError runs (early stopping restores), and the error gets state, params, history.
   */
  private async fail(e: unknown): Promise<unknown> {
    if (this.applied) this.countBatch(true);
    let state = this.closingState ?? (e instanceof NonFiniteLossError ? e.state : undefined);
    if (state === undefined) {
      try {
        state = this.snapshot(false);
      } catch (se) {
        this.notify(`fit: no resumable state for this failure: ${se instanceof Error ? se.message : String(se)}`);
      }
    }
    this.event = "onError";
    this.cancelled = null;
    for (const i of this.hooks.with.onError) {
      try {
        const r: unknown = this.hooks.call(i, "onError", (p) => p.onError!(e, this.contexts[i]!));
        if (isThenable(r)) await r;
      } catch (he) {
        this.notify(`fit: plugin "${this.o.plugins[i]!.name}" failed in onError: ${he instanceof Error ? he.message : String(he)}`);
      }
    }
    return attachFailure(e, { state, params: this.params, history: this.rec.history });
  }

  private async loop(): Promise<FitResult<P>> {
    const { o, raw } = this;
    let lastYield = now();
    const every = o.progressEvery ?? (this.totalSteps !== undefined ? Math.max(1, Math.round(this.totalSteps / 100)) : 10);
    const progress = new ProgressReporter(raw.onProgress, every, this.step);
    const report = () => progress.report(this.step, this.epoch, this.totalSteps, this.lastLoss);

    await this.dispatchAsync("beforeFit");
    if (raw.initialState !== undefined) loadPluginStates(this.hooks, raw.initialState);

    let stopped: StopReason = "completed";
    loop: while (true) {
      if (this.fitCancelled) { stopped = "cancelled"; break; }
      if (raw.signal?.aborted) { stopped = "aborted"; break; }
      if (this.budgetReached()) break;
      this.cancelled = null;
      if (!this.inEpoch) {
        this.acc = { ...EMPTY_ACC };
        this.rec.epochMetrics = undefined;
        this.order = undefined;
        await this.dispatchAsync("beforeEpoch");
        // only now: a beforeEpoch that fails runs again on resume
        this.inEpoch = true;
      }
      this.order ??= epochOrder(this.keys.data, this.epoch, o.n, o.batchSize, o.shuffle, this.identity);
      let checkpointDue = false;
      while (this.batchInEpoch < this.stepsPerEpoch && (this.cancelled === null || this.cancelled === "batch")) {
        if (this.budgetReached()) break;
        if (raw.signal?.aborted) { stopped = "aborted"; break loop; }
        this.cancelled = null;
        this.runBatch();
        if (this.step % every === 0) report();
        if (raw.checkpointEvery !== undefined && this.step % raw.checkpointEvery === 0) {
          if (this.batchInEpoch < this.stepsPerEpoch) await raw.onCheckpoint?.(this.snapshot(this.donating));
          else checkpointDue = true;
        }
        if (o.yieldEveryMs === 0 || now() - lastYield >= o.yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
      const epochDone = this.batchInEpoch >= this.stepsPerEpoch || this.cancelled === "epoch";
      if (!epochDone) {
        if (this.fitCancelled) stopped = "cancelled";
        break;
      }
      await this.closeEpoch();
      if (checkpointDue) await raw.onCheckpoint?.(this.snapshot(this.donating));
    }
    // the resumable state is taken before the closing hooks, which may change params (early stopping's restore)
    const state = (this.closingState = this.snapshot(false));
    if (this.inEpoch) await this.closeEpoch();
    this.cancelled = null;
    await this.dispatchAsync("afterFit");
    report();
    return { params: this.params as P, history: this.rec.history, state, stopped, plugins: this.pluginResults(), compiled: this.runner.isCompiled, notices: this.notices };
  }

  /** Plugin-owned results (see Plugin.result), collected after afterFit. */
  private pluginResults(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.o.plugins.forEach((p, i) => {
      if (p.result) out[p.name] = this.hooks.call(i, "result", () => p.result!());
    });
    return out;
  }

  private budgetReached(): boolean {
    const { epochs, steps } = this.o;
    return (epochs !== undefined && this.epoch >= epochs) || (steps !== undefined && this.step >= steps);
  }

  /** The batch of this step: its slice of the epoch order (or the whole set), then beforeBatch hooks. */
  private nextBatch(): Batch {
    const { o } = this;
    let batch: Batch;
    if (o.batchSize >= o.n) batch = { x: o.data.x, y: o.data.y, indices: this.identity };
    else {
      const start = this.batchInEpoch * o.batchSize;
      const indices = this.order!.subarray(start, Math.min(o.n, start + o.batchSize));
      batch = { x: gatherRows(o.data.x, indices), y: gatherRows(o.data.y, indices), indices };
    }
    this.batch = batch;
    this.event = "beforeBatch";
    for (const i of this.hooks.with.beforeBatch) {
      const r: unknown = this.hooks.call(i, "beforeBatch", (p) => p.beforeBatch!(batch, this.contexts[i]!));
      if (isThenable(r)) throw asyncBatchHook(o.plugins[i]!.name, "beforeBatch");
      if (r !== undefined) {
        const b = r as Batch;
        if (b === null || typeof b !== "object" || !(b.x instanceof Tensor) || !(b.y instanceof Tensor)) {
          throw new PluginError(o.plugins[i]!.name, "beforeBatch", new TypeError("must return a Batch { x, y } or nothing"));
        }
        this.batch = batch = b;
      }
      if (this.cancelled !== null) break;
    }
    return batch;
  }

  /** One batch: beforeBatch → step (forward, loss, gradients, update) → afterStep → afterBatch. Synchronous. */
  private runBatch(): void {
    this.loss = this.dataLoss = this.pred = this.grads = undefined;
    this.observed = false;
    this.rec.beginBatch();
    const batch = this.nextBatch();
    let computed = false;
    if (this.cancelled === null) {
      computed = true;
      this.trainStep(batch);
    }
    this.dispatch("afterBatch");
    this.rec.endBatch(this.step, this.epoch, this.step % this.o.logEvery === 0);
    this.countBatch(computed);
  }

  /** The batch is done: into the epoch's sums and the counters (also for an applied step whose later hook failed). */
  private countBatch(computed: boolean): void {
    this.applied = false;
    if (computed && this.loss !== undefined) {
      this.acc.lossSum += this.loss;
      this.acc.dataLossSum += this.dataLoss!;
      this.acc.count++;
    }
    this.acc.batches++;
    this.step++;
    this.batchInEpoch++;
  }

  /** The step (runner), its history row, the mid-step hooks; commits params and states, then afterStep. */
  private trainStep(batch: Batch): void {
    const mid = (g: GradResult): boolean => {
      this.observe(g);
      this.dispatch("afterForward");
      if (this.cancelled === null) this.dispatch("afterLoss");
      if (this.cancelled === null) this.dispatch("beforeStep");
      return this.cancelled === null;
    };
    // the optimizer's hyperparameters before the step (a compiled step writes the next state into this one's buffers)
    this.hp = this.step % this.o.logEvery === 0 ? this.o.optimizer.hyperparams?.(this.opt, this.step) : undefined;
    let out;
    try {
      out = this.runner.run({
        params: this.params, opt: this.opt, tStates: this.tStates, sStates: this.sStates, x: batch.x, y: batch.y,
        key: this.keys.step(this.step), step: this.step, indices: batch.indices,
      }, this.hooks.with.afterForward.length + this.hooks.with.afterLoss.length + this.hooks.with.beforeStep.length > 0 ? mid : null);
    } catch (e) {
      if (e instanceof StepNonFinite) this.nonFinite(e);
      throw e;
    }
    // without mid-step hooks the row is written now; with them, `observe` wrote it before they ran
    this.observe(out.g);
    if (out.u === null) return;
    // commit only now: a failure above leaves params and every state as they were
    this.params = out.u.params;
    this.opt = out.u.opt;
    this.tStates = out.u.tStates;
    this.sStates = out.g.sStates;
    this.applied = true;
    this.dispatch("afterStep");
  }

  /** The step's results as the contexts and the history see them (once per step). */
  private observe(g: GradResult): void {
    // an eager step's scope hands back copies: the views must point at those after the step
    this.pred = g.pred;
    this.grads = g.grads;
    if (this.observed) return;
    this.observed = true;
    const loss = g.loss.data[0]!;
    this.loss = this.lastLoss = loss;
    this.dataLoss = g.dataLoss.data[0]!;
    if (this.step % this.o.logEvery === 0) {
      this.rec.stepRow({ step: this.step, epoch: this.epoch, loss, dataLoss: this.dataLoss, gradNorm: Math.sqrt(g.sq.data[0]!), ...this.hp });
    }
  }

  private nonFinite(e: StepNonFinite): never {
    throw new NonFiniteLossError({
      step: this.step, source: e.source, ...(e.leaf >= 0 ? { leaf: this.paths[e.leaf]! } : {}), value: e.value,
      params: this.params, state: this.snapshot(false), history: this.rec.history,
    });
  }

  /** Epoch metrics, validation, afterEpoch, the epoch row; then the next epoch. */
  private async closeEpoch(): Promise<void> {
    const { o } = this;
    const m: Record<string, number> = { ...this.rec.epochMetrics };
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
    this.rec.epochMetrics = m;
    this.cancelled = null;
    this.batch = undefined;
    await this.dispatchAsync("afterEpoch");
    this.rec.epochRow({ epoch: this.epoch, step: this.step, batches: a.batches, ...this.rec.epochMetrics });
    this.epoch++;
    this.batchInEpoch = 0;
    this.inEpoch = false;
    this.order = undefined;
    this.rec.epochMetrics = undefined;
    this.cancelled = null;
  }

  /** A resumable TrainState of the run as it is now (tensors copied when later steps write into their buffers). */
  private snapshot(copy: boolean): TrainState {
    return snapshot(this.o as ResolvedFitOptions<Tree>, this.hooks, {
      params: this.params, opt: this.opt, tStates: this.tStates, sStates: this.sStates, step: this.step, epoch: this.epoch,
      batchInEpoch: this.batchInEpoch, inEpoch: this.inEpoch, acc: this.acc, root: this.keys.root,
    }, copy);
  }
}
