import { type Tensor, type Tree, add, mul, pureCallback, tensor, treeFlatten } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { type Mask, resolveMask } from "@regularize/optim";
import { TransferError, check, checkMultiTask, isNumber, requireArrayOf } from "./errors.js";
import type { MultiTask } from "./multi-task.js";
import { replaceDataLoss, taskGradients } from "./task-objective.js";
import { describeValue, optionOr } from "@regularize/core-train";

/** Options of {@link gradNorm}. */
export interface GradNormOptions {
  /** The tasks (fit's `loss` must be `multiTask.loss`; their fixed weights are replaced by learned ones). */
  readonly multiTask: MultiTask;
  /** The shared parameters W whose per-task gradient norms are balanced (usually the trunk's last layer), as an optim Mask. */
  readonly shared: Mask;
  /** Asymmetry α (default 1.5, the paper's NYUv2 value). */
  readonly alpha?: number;
  /** Step size of the weights' own gradient descent (default 0.025, the paper's). */
  readonly learningRate?: number;
  /** Plugin name (default "gradNorm"). */
  readonly name?: string;
}

/**
 * Step state of {@link gradNorm} (in the TrainState's `stepStates`), float64 tensors: the weights w_t
 * (Σ w_t = T), the first step's losses L_t(0), and `started` ([1]: 0 before the first step, then 1).
 */
export interface GradNormState {
  readonly weights: Tensor;
  readonly initialLosses: Tensor;
  readonly started: Tensor;
}

/**
 * One GradNorm update of the task weights (Chen et al. 2018): with G_t = w_t‖∇_W L_t‖, Ḡ their mean,
 * r_t = (L_t/L_t(0)) / mean_j(L_j/L_j(0)), L_grad = Σ_t |G_t − Ḡ·r_t^α| (target held constant);
 * w ← w − lr·∂L_grad/∂w, clipped at 0 and renormalised so Σ w_t = T.
 */
export function gradNormStep(weights: readonly number[], gradNorms: readonly number[], losses: readonly number[], initialLosses: readonly number[], alpha: number, lr: number): number[] {
  const fn = "gradNormStep";
  requireArrayOf<number>(fn, "weights", weights, isNumber, "a number");
  if (weights.length === 0) throw new TransferError(fn, "weights", "must hold at least one task weight");
  const T = weights.length;
  requireArrayOf<number>(fn, "gradNorms", gradNorms, isNumber, "a number", T);
  requireArrayOf<number>(fn, "losses", losses, isNumber, "a number", T);
  requireArrayOf<number>(fn, "initialLosses", initialLosses, isNumber, "a number", T);
  if (typeof alpha !== "number") throw new TransferError(fn, "alpha", `must be a number, got ${String(alpha)}`);
  if (typeof lr !== "number") throw new TransferError(fn, "lr", `must be a number, got ${String(lr)}`);
  const G = weights.map((w, t) => w * gradNorms[t]!);
  const Gbar = G.reduce((a, b) => a + b, 0) / T;
  const ratio = losses.map((l, t) => l / initialLosses[t]!);
  const rbar = ratio.reduce((a, b) => a + b, 0) / T;
  const next = weights.map((w, t) => {
    const target = Gbar * (ratio[t]! / rbar) ** alpha;
    const g = Math.sign(G[t]! - target) * gradNorms[t]!;
    return Math.max(0, w - lr * g);
  });
  const s = next.reduce((a, b) => a + b, 0);
  return s > 0 ? next.map((w) => (w * T) / s) : weights.slice();
}

/**
 * GradNorm (Chen et al. 2018) as a plugin: the data loss is Σ_t w_t·L_t with weights learned so
 * that the tasks' gradient norms on the shared layer W train at rates set by α. The weights are the
 * plugin's step state, updated (gradNormStep, in a callback on the step's task losses and shared-layer
 * gradients) and committed with each successful step, so fit's compiled step records the plugin;
 * logs `w.<task>`.
 * @example gradNorm({ multiTask: mt, shared: (_, path) => path === "trunk.layers[1].w" })
 */
export function gradNorm(options: GradNormOptions): Plugin<unknown> {
  const name = check.plugin("gradNorm", options, { multiTask: true, shared: true, alpha: true, learningRate: true, name: true });
  const mt = options.multiTask;
  checkMultiTask(name, mt);
  if (options.shared === undefined) check.fail(name, "shared", `is required: the mask of the shared layer W`);
  const shared: unknown = options.shared;
  if (!(shared === "weights" || typeof shared === "function" || typeof shared === "boolean" || (typeof shared === "object" && shared !== null))) {
    check.fail(name, "shared", `must be an optim Mask ("weights", a predicate or a tree of booleans), got ${describeValue(shared)}`);
  }
  const alpha = check.number(name, "alpha", optionOr(options.alpha, 1.5), { min: 0, max: 100 });
  const lr = check.number(name, "learningRate", optionOr(options.learningRate, 0.025), { min: 0, max: 1e6 });
  const T = mt.tasks.length;
  const f64 = (v: number[]): Tensor => tensor(v, { dtype: "float64" });
  return {
    name,
    stepState: { init: (): GradNormState => ({ weights: f64(new Array<number>(T).fill(1)), initialLosses: f64(new Array<number>(T).fill(0)), started: f64([0]) }) },
    objective: (inner, ctx) => {
      const st = ctx.state as GradNormState | undefined;
      if (st === undefined || ctx.setState === undefined) throw new TransferError(name, "ctx", "must be fit's objective context (the task weights are the plugin's step state)");
      let updated = false;
      return replaceDataLoss(mt, inner, ctx, (params, losses) => {
        if (!updated) {
          updated = true;
          const on = resolveMask(name, options.shared, params);
          if (!on.some(Boolean)) throw new TransferError(name, "shared", `selects no parameter`);
          // the shared layer's leaves of each task's gradient (in tree order), read in the callback below
          const gs = taskGradients(mt, ctx, params, mt.tasks.map(() => 1)).map((g: Tree) => treeFlatten(g)[0].filter((_, j) => on[j]));
          const K = gs[0]!.length;
          // [w' | L0']: gradNormStep on the norms ‖∇_W L_t‖ (float64 sums of squares in leaf order) and the losses
          const next = pureCallback((o, w, l0, started, ...rest) => {
            const norms = Array.from({ length: T }, (_, t) => {
              let sq = 0;
              for (let j = 0; j < K; j++) for (const v of rest[t * K + j]!) sq += v * v;
              return Math.sqrt(sq);
            });
            const ls = Array.from({ length: T }, (_, t) => rest[T * K + t]![0]!);
            const first = started[0] === 0 ? ls : Array.from(l0);
            o.set(gradNormStep(Array.from(w), norms, ls, first, alpha, lr), 0);
            o.set(first, T);
          }, [st.weights, st.initialLosses, st.started, ...gs.flat(), ...losses], [2 * T], "float64");
          ctx.setState!({
            weights: pureCallback((o, p) => o.set(p.subarray(0, T)), [next], [T], "float64"),
            initialLosses: pureCallback((o, p) => o.set(p.subarray(T)), [next], [T], "float64"),
            started: pureCallback((o) => { o[0] = 1; }, [], [1], "float64"),
          });
        }
        // Σ_t w_t·L_t with w_t in each loss's dtype (as mul(l, w_t) rounds a number)
        return weightedSumOf(losses, losses.map((l, t) => pureCallback((o, w) => { o[0] = w[t]!; }, [st.weights], [], l.dtype)));
      });
    },
    afterStep: (ctx) => {
      const w = (ctx.stepState as GradNormState).weights.data;
      mt.tasks.forEach((t, i) => ctx.log(`w.${t.name}`, w[i]!));
    },
  };
}

function weightedSumOf(losses: readonly Tensor[], w: readonly Tensor[]): Tensor {
  let s: Tensor | undefined;
  losses.forEach((l, i) => {
    const term = mul(l, w[i]!);
    s = s === undefined ? term : add(s, term);
  });
  return s!;
}
