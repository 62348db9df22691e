import { type Jitted, type PRNGKey, type Tensor, TransformError, type Tree, jit, tidy } from "@regularize/core-autodiff";
import { PluginError } from "./errors.js";
import type { GradResult, StepProgram, UpdateResult } from "./fit-step.js";

/** @internal What one step of the runner produced; `u` is null when a mid-step hook cancelled. */
export interface StepOutcome {
  readonly g: GradResult;
  readonly u: UpdateResult | null;
}

/** @internal The inputs of one step. */
export interface StepInputs {
  readonly params: Tree;
  readonly opt: unknown;
  readonly tStates: readonly unknown[];
  /** Plugins' step states (Plugin.stepState). */
  readonly sStates: readonly unknown[];
  readonly x: Tensor;
  readonly y: Tensor;
  readonly key: PRNGKey;
  readonly step: number;
  readonly indices: Int32Array | undefined;
}

/** @internal How the runner runs steps. */
export interface StepRunnerOptions {
  /** Record the step with jit and replay it (false: eager). */
  readonly compile: boolean;
  /** Why the step cannot be compiled, when known before the first step (a plugin's declaration). */
  readonly notCompilable: string | undefined;
  /** Run eager steps in a tidy memory scope. */
  readonly scope: boolean;
  /** Let a replay write the next params and states into the previous ones' buffers. */
  readonly donate: boolean;
  /** Return pred and grads (some event hook may read ctx.pred / ctx.grads). */
  readonly views: boolean;
  /** Mid-step hooks exist (afterForward/afterLoss/beforeStep): the step is recorded as two halves around them. */
  readonly split: boolean;
  /** Told once when the run falls back to eager steps. */
  readonly notify: (message: string) => void;
}

/** Recordings a run may make (batch shapes, a re-recording after a rejected replay) before it gives up compiling. */
const MAX_RECORDINGS = 4;
/**
 * Replays checked against a second recording of the step on that step's batch (jit's `verify`): a
 * value read into JS from a batch (`.data` in a loss or plugin) shows as a constant that differs
 * between batches. Three batches make a coincidence unlikely; they cost three eager steps per run.
 */
const VERIFY = 3;

type Fused = Jitted<[Tree, unknown, readonly unknown[], readonly unknown[], Tensor, Tensor, PRNGKey], GradResult & UpdateResult>;
type GradFn = Jitted<[Tree, readonly unknown[], Tensor, Tensor, PRNGKey], GradResult>;
type UpdateFn = Jitted<[Tree, unknown, readonly unknown[], Tree, PRNGKey], UpdateResult>;

/**
 * @internal Runs the steps of a fit, compiled by default: the StepProgram is recorded by `jit` on
 * the first step (per batch shape) and replayed afterwards with the step's params, states, batch
 * and key as runtime inputs. Anything the recording would freeze makes the run eager from then on,
 * with one notice saying why: a plugin declaring `compile: false`, a hook reading `ctx.step` or
 * `batch.indices` while recorded, a value read into JS (TransformError), a replay that differs
 * from running the step (jit's first-replay check), or too many recordings.
 */
export class StepRunner {
  private compiled: boolean;
  private reason: string | undefined;
  private frozenReads: string[] = [];
  private cur!: StepInputs;
  private readonly fused: Fused | undefined;
  private readonly gradFn: GradFn | undefined;
  private readonly updateFn: UpdateFn | undefined;

  constructor(private readonly prog: StepProgram, private readonly opts: StepRunnerOptions) {
    this.compiled = opts.compile && opts.notCompilable === undefined;
    if (opts.compile && opts.notCompilable !== undefined) this.fallBack(opts.notCompilable);
    const views = opts.views;
    const donate = opts.donate ? [0, 1, 2, 3] : [];
    if (!this.compiled) return;
    if (!opts.split) {
      this.fused = jit((params: Tree, opt: unknown, tStates: readonly unknown[], sStates: readonly unknown[], x: Tensor, y: Tensor, key: PRNGKey) => {
        const g = prog.gradients(params, sStates, x, y, key, this.cur.indices);
        const u = prog.update(params, opt, tStates, g.grads, key, this.cur.step);
        return { loss: g.loss, dataLoss: g.dataLoss, sq: g.sq, pred: views ? g.pred : undefined, grads: views ? g.grads : {}, sStates: g.sStates, params: u.params, opt: u.opt, tStates: u.tStates };
      }, { donate, maxTraces: MAX_RECORDINGS, verify: VERIFY });
    } else {
      this.gradFn = jit((params: Tree, sStates: readonly unknown[], x: Tensor, y: Tensor, key: PRNGKey) => prog.gradients(params, sStates, x, y, key, this.cur.indices), { maxTraces: MAX_RECORDINGS, verify: VERIFY });
      this.updateFn = jit((params: Tree, opt: unknown, tStates: readonly unknown[], grads: Tree, key: PRNGKey) => prog.update(params, opt, tStates, grads, key, this.cur.step), { donate, maxTraces: MAX_RECORDINGS, verify: VERIFY });
    }
  }

  /** Whether steps are (still) compiled. */
  get isCompiled(): boolean {
    return this.compiled;
  }

  /** Why the run is eager, when it was meant to be compiled. */
  get fallbackReason(): string | undefined {
    return this.reason;
  }

  /** A hook read a per-step value that a recording would freeze (plugin hooks call this via ctx getters). */
  noteFrozenRead(what: string): void {
    if (!this.frozenReads.includes(what)) this.frozenReads.push(what);
  }

  /** One step. `mid(g)` runs the mid-step hooks and returns false to skip the update. */
  run(inp: StepInputs, mid: ((g: GradResult) => boolean) | null): StepOutcome {
    if (this.compiled) {
      try {
        const r = this.compiledStep(inp, mid);
        if (r !== null) return r;
      } catch (e) {
        const cause = e instanceof PluginError ? e.cause : e;
        if (!(cause instanceof TransformError)) throw e;
        this.fallBack(e instanceof PluginError ? `plugin "${e.plugin}" (${e.hook}) cannot be recorded: ${cause.message}` : `the step cannot be recorded: ${cause.message}`);
      }
    }
    return this.eagerStep(inp, mid);
  }

  private compiledStep(inp: StepInputs, mid: ((g: GradResult) => boolean) | null): StepOutcome | null {
    this.cur = inp;
    this.frozenReads = [];
    if (this.fused !== undefined) {
      const before = this.fused.traceCount;
      const r = this.fused(inp.params, inp.opt, inp.tStates, inp.sStates, inp.x, inp.y, inp.key);
      this.afterCall(this.fused.traceCount > before, this.fused.traceCount);
      const g: GradResult = { loss: r.loss, dataLoss: r.dataLoss, pred: r.pred, grads: r.grads, sq: r.sq, sStates: r.sStates };
      return { g, u: { params: r.params, opt: r.opt, tStates: r.tStates } };
    }
    const gf = this.gradFn!, uf = this.updateFn!;
    const before = gf.traceCount + uf.traceCount;
    const g = gf(inp.params, inp.sStates, inp.x, inp.y, inp.key);
    this.afterCall(gf.traceCount + uf.traceCount > before, gf.traceCount);
    if (mid !== null && !mid(g)) return { g, u: null };
    const u = uf(inp.params, inp.opt, inp.tStates, g.grads, inp.key);
    this.afterCall(gf.traceCount + uf.traceCount > before, uf.traceCount);
    return { g, u };
  }

  /** After a recording: values the recording froze, or too many recordings, end compilation (this step's result stands: a recording runs the step). */
  private afterCall(recorded: boolean, traces: number): void {
    if (!recorded || !this.compiled) return;
    if (this.frozenReads.length > 0) this.fallBack(`${this.frozenReads.join(", ")} while the step was recorded (a recording would freeze the value of the first step)`);
    else if (traces >= MAX_RECORDINGS) this.fallBack(`the step was recorded ${traces} times: a non-tensor value in its inputs changes from step to step (e.g. a JS number in an optimizer or transform state)`);
  }

  private fallBack(reason: string): void {
    this.compiled = false;
    this.reason = reason;
    this.opts.notify(`fit: the training step runs eagerly (not compiled) for this run: ${reason}. Pass compile: false to choose the eager path explicitly.`);
  }

  private eagerStep(inp: StepInputs, mid: ((g: GradResult) => boolean) | null): StepOutcome {
    const { prog } = this;
    const { views } = this.opts;
    const body = (): StepOutcome => {
      const g = prog.gradients(inp.params, inp.sStates, inp.x, inp.y, inp.key, inp.indices);
      const kept: GradResult = views ? g : { loss: g.loss, dataLoss: g.dataLoss, pred: undefined, grads: {}, sq: g.sq, sStates: g.sStates };
      if (mid !== null && !mid(g)) return { g: kept, u: null };
      return { g: kept, u: prog.update(inp.params, inp.opt, inp.tStates, g.grads, inp.key, inp.step) };
    };
    // the scope copies out what the step returns and reuses the memory of everything else
    return this.opts.scope ? tidy(body) : body();
  }
}
