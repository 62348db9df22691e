import {
  type DataArray, type PRNGKey, Tensor, type Tree, add, foldInString, hostCheck, pureCallback, reshape, stopGradient,
  treeFlatten, treeMap, treeUnflatten, valueAndGrad,
} from "@regularize/core-autodiff";
import { PluginError, TrainError } from "./errors.js";
import type { NonFiniteSource } from "./errors.js";
import type { ResolvedFitOptions } from "./fit-options.js";
import type { Model } from "./model.js";
import type { PluginHooks } from "./plugin-dispatch.js";
import { PluginForward } from "./plugin-forward.js";
import type { Batch, Objective, ObjectiveContext } from "./plugin.js";

/**
 * @internal Thrown by the step's finiteness checks. They run as kernels (`hostCheck`,
 * `pureCallback`), so a compiled step raises it on replay too, before any donated buffer is
 * written; the runner turns it into a NonFiniteLossError with the step, leaf path and state.
 */
export class StepNonFinite extends Error {
  constructor(readonly source: NonFiniteSource, readonly leaf: number, readonly value: number) {
    super(`non-finite ${source}`);
    this.name = "StepNonFinite";
  }
}

/** What the gradient half of a step produces. */
export interface GradResult {
  /** The differentiated objective (data loss + penalties, after objective wrappers). */
  readonly loss: Tensor;
  /** The data loss of the first forward pass. */
  readonly dataLoss: Tensor;
  /** The first forward pass's output, detached (undefined if no objective called the model). */
  readonly pred: Tensor | undefined;
  readonly grads: Tree;
  /** Σ g² over every gradient element (float64 scalar), for the history's gradNorm. */
  readonly sq: Tensor;
  /** The plugins' step states for the next step (see Plugin.stepState). */
  readonly sStates: readonly unknown[];
}

/** What the update half of a step produces: the next params and states (nothing is committed yet). */
export interface UpdateResult {
  readonly params: Tree;
  readonly opt: unknown;
  readonly tStates: unknown[];
}

/**
 * @internal One training step as two functions of tensors and keys — the objective's gradients,
 * then transforms, optimizer and update — with no reads of tensor values into JS. The runner calls
 * them directly (eager) or through `jit` (compiled): the same code, so the two agree bit for bit.
 * Every random stream derives from the `key` argument (the step key), so a compiled step replays
 * with the runtime key. Plugins reading `ctx.step` are reported through `stepOf`.
 */
export class StepProgram {
  readonly forward: PluginForward;
  private readonly base: (PRNGKey | undefined)[];
  private readonly octxs: ObjectiveContext[];
  private key!: PRNGKey;
  private batch!: Batch;
  private sIn: readonly unknown[] = [];
  private sOut: unknown[] = [];

  constructor(
    private readonly o: ResolvedFitOptions<Tree>,
    private readonly hooks: PluginHooks,
    private readonly check: boolean,
    private readonly stepOf: (i: number) => number,
    private readonly noteRead: (what: string) => void = () => {},
  ) {
    const plugins = o.plugins;
    this.base = plugins.map(() => undefined);
    this.forward = new PluginForward(o.model as Model<Tree>, plugins, "train", plugins.map(() => true), (i) => this.baseKey(i), stepOf);
    this.octxs = plugins.map((_, i) => this.objectiveContext(i));
  }

  /** Plugin i's base key for this step: foldInString(stepKey, name). */
  baseKey(i: number): PRNGKey {
    return (this.base[i] ??= foldInString(this.key, this.o.plugins[i]!.name));
  }

  private begin(key: PRNGKey, batch: Batch, sStates: readonly unknown[]): void {
    this.key = key;
    this.batch = batch;
    this.base.fill(undefined);
    this.sIn = sStates;
    this.sOut = sStates.slice();
  }

  private objectiveContext(i: number): ObjectiveContext {
    const self = this;
    return {
      get batch() {
        return self.batch;
      },
      get step() {
        return self.stepOf(i);
      },
      get key() {
        return foldInString(self.baseKey(i), "objective");
      },
      forward: (params, x) => self.forward.forward(params, x),
      dataLoss: (params, b) => self.o.loss(self.forward.forward(params, b.x), b),
      get state() {
        return self.sIn[i];
      },
      // computed inside the differentiated objective: the next state leaves the trace as constants
      setState: (next) => {
        if (self.o.plugins[i]!.stepState === undefined) throw new TypeError(`setState: the plugin declares no stepState`);
        self.sOut[i] = treeMap(stopGradient, next as Tree);
      },
    };
  }

  /** Objective (forward, loss, penalties, objective wrappers), its value and gradients, and the checks. */
  gradients(params: Tree, sStates: readonly unknown[], x: Tensor, y: Tensor, key: PRNGKey, indices?: Int32Array): GradResult {
    // batch.indices is a JS array a recording would freeze: reading it is noted (the runner then goes eager)
    const note = this.noteRead;
    // (non-enumerable, so copying a batch with {...batch, x} is not a read)
    const batch: Batch = { x, y };
    if (indices !== undefined) Object.defineProperty(batch, "indices", { get() { note("a hook read batch.indices"); return indices; }, enumerable: false });
    this.begin(key, batch, sStates);
    let first: { dataLoss: Tensor; pred: Tensor } | undefined;
    const objective = this.objective(batch, (l, p) => { first ??= { dataLoss: l, pred: stopGradient(p) }; });
    const [value, grads] = valueAndGrad(objective)(params);
    if (this.check) hostCheck(checkLoss, [value]);
    const sq = pureCallback(this.check ? sumSquaresChecked : sumSquares, treeFlatten(grads)[0], [], "float64");
    return { loss: value, dataLoss: first?.dataLoss ?? value, pred: first?.pred, grads, sq, sStates: this.sOut };
  }

  /** "pre" transforms on the raw gradients, the optimizer, the other transforms, params + updates. */
  update(params: Tree, opt: unknown, tStates: readonly unknown[], grads: Tree, key: PRNGKey, step: number): UpdateResult {
    this.key = key;
    this.base.fill(undefined);
    const { hooks, o } = this;
    const next = tStates.slice();
    let u = grads;
    const runT = (i: number) => {
      [u, next[i]] = hooks.call(i, "transform.update", (p) => p.transform!.update(u, next[i], params, step, foldInString(this.baseKey(i), "transform")));
    };
    for (const i of hooks.preTransforms) runT(i);
    const [ou, optState] = o.optimizer.update(u, opt, params, step, foldInString(key, "optimizer"));
    u = ou;
    for (const i of hooks.postTransforms) runT(i);
    return { params: this.applyUpdates(params, u), opt: optState, tStates: next };
  }

  private objective(batch: Batch, onFirst: (dataLoss: Tensor, pred: Tensor) => void): Objective {
    const { o, hooks } = this;
    const penalties = hooks.with.penalty;
    const base: Objective = (p) => {
      const pred = this.forward.forward(p, batch.x);
      let l = o.loss(pred, batch);
      onFirst(l, pred);
      for (const i of penalties) {
        const pen = hooks.call(i, "penalty", (pl) => pl.penalty!(p, this.octxs[i]!));
        if (!(pen instanceof Tensor) || pen.size !== 1) {
          throw new PluginError(o.plugins[i]!.name, "penalty", new TypeError(`must return a scalar tensor, got ${pen instanceof Tensor ? `shape [${pen.shape.join(", ")}]` : typeof pen}`));
        }
        l = add(l, pen.ndim === 0 ? pen : reshape(pen, []));
      }
      return l;
    };
    let obj = base;
    for (const i of hooks.with.objective) {
      const wrapped = hooks.call(i, "objective", (pl) => pl.objective!(obj, this.octxs[i]!));
      if (typeof wrapped !== "function") throw new PluginError(o.plugins[i]!.name, "objective", new TypeError("must return an Objective (params) => Tensor"));
      obj = (p) => hooks.call(i, "objective", () => wrapped(p));
    }
    return obj;
  }

  private applyUpdates(params: Tree, updates: Tree): Tree {
    const [pl, def] = treeFlatten(params);
    let ul: Tensor[];
    try {
      ul = treeFlatten(updates)[0];
    } catch (e) {
      throw new TrainError(`the optimizer/transforms returned updates that are not a tree of tensors`, { cause: e });
    }
    if (ul.length !== pl.length) throw new TrainError(`the optimizer/transforms returned ${ul.length} update leaves for ${pl.length} parameter leaves`);
    for (let j = 0; j < pl.length; j++) {
      const p = pl[j]!, u = ul[j]!;
      if (!(u instanceof Tensor) || !sameShape(p.shape, u.shape)) {
        throw new TrainError(`update ${j} has shape [${u instanceof Tensor ? u.shape.join(", ") : typeof u}], its parameter has [${p.shape.join(", ")}]`);
      }
    }
    const next = pl.map((p, j) => add(p, ul[j]!));
    // checking the sums catches a non-finite update and a finite one that overflows a parameter
    if (this.check) hostCheck(checkNextParams, [...next, ...ul]);
    return treeUnflatten(def, next);
  }
}

// The checks are module-level functions: one optimised copy each, and nothing captured, as kernels must.
function checkLoss(l: DataArray): void {
  if (!Number.isFinite(l[0]!)) throw new StepNonFinite("loss", -1, l[0]!);
}

// Four accumulators: the loops are bound by the latency of one add chain otherwise (the checks
// were a fifth of a compiled MLP step). Eager and compiled steps share them, so they agree bit for bit.
function sumSquares(out: DataArray, ...gs: DataArray[]): void {
  let sq = 0;
  for (let j = 0; j < gs.length; j++) sq += leafSumSquares(gs[j]!);
  out[0] = sq;
}

function leafSumSquares(d: DataArray): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = d.length, n4 = n - (n % 4);
  for (let k = 0; k < n4; k += 4) {
    const a = d[k]!, b = d[k + 1]!, c = d[k + 2]!, e = d[k + 3]!;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += e * e;
  }
  for (let k = n4; k < n; k++) s0 += d[k]! * d[k]!;
  return s0 + s1 + s2 + s3;
}

function sumSquaresChecked(out: DataArray, ...gs: DataArray[]): void {
  let sq = 0;
  for (let j = 0; j < gs.length; j++) {
    const d = gs[j]!;
    sq += leafSumSquares(d);
    // a non-finite sum means a non-finite gradient, or finite ones whose squares overflow: look
    if (!Number.isFinite(sq)) {
      for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k]!)) throw new StepNonFinite("gradient", j, d[k]!);
    }
  }
  out[0] = sq;
}

/** Whether every element is finite: v − v is 0 for finite v and NaN otherwise, and NaN sticks. */
function allFinite(d: DataArray): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = d.length, n4 = n - (n % 4);
  for (let k = 0; k < n4; k += 4) {
    const a = d[k]!, b = d[k + 1]!, c = d[k + 2]!, e = d[k + 3]!;
    s0 += a - a;
    s1 += b - b;
    s2 += c - c;
    s3 += e - e;
  }
  for (let k = n4; k < n; k++) s0 += d[k]! - d[k]!;
  return s0 + s1 + s2 + s3 === 0;
}

/** Arrays: the n next parameter leaves, then their n updates (to say which of the two was at fault). */
function checkNextParams(...a: DataArray[]): void {
  const n = a.length / 2;
  for (let j = 0; j < n; j++) {
    const d = a[j]!;
    if (allFinite(d)) continue;
    for (let k = 0; k < d.length; k++) {
      if (!Number.isFinite(d[k]!)) {
        const u = a[n + j]![k]!;
        throw Number.isFinite(u) ? new StepNonFinite("parameter", j, d[k]!) : new StepNonFinite("update", j, u);
      }
    }
  }
}

/** @internal */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
