import { type Tree, treeFlatten } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { type Mask, resolveMask } from "@regularize/optim";
import { TransferError, check, checkMultiTask, isNumber, requireArrayOf } from "./errors.js";
import type { MultiTask } from "./multi-task.js";
import { replaceDataLoss, taskGradients, weightedSum } from "./task-objective.js";
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

/** State of {@link gradNorm}: weights w_t (Σ w_t = T) and the first step's losses L_t(0). */
export interface GradNormState {
  readonly weights: number[];
  readonly initialLosses: number[] | null;
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
 * plugin's own state, updated (gradNormStep) after each successful step; logs `w.<task>`.
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
  let w = new Array<number>(T).fill(1);
  let L0: number[] | null = null;
  let pending: GradNormState | undefined;
  return {
    name,
    // per-task losses and gradients are read into JS every step: not recordable by jit
    compile: false,
    beforeFit: (ctx) => { if (!ctx.resumed) { w = new Array<number>(T).fill(1); L0 = null; } },
    objective: (inner, ctx) => {
      pending = undefined;
      const wNow = w.slice();
      return replaceDataLoss(mt, inner, ctx, (params, losses) => {
        if (pending === undefined) {
          const on = resolveMask(name, options.shared, params);
          if (!on.some(Boolean)) throw new TransferError(name, "shared", `selects no parameter`);
          const norms = taskGradients(mt, ctx, params, mt.tasks.map(() => 1)).map((g: Tree) => {
            let sq = 0;
            treeFlatten(g)[0].forEach((l, j) => { if (on[j]) for (const v of l.data) sq += v * v; });
            return Math.sqrt(sq);
          });
          const ls = losses.map((l) => l.data[0]!);
          const l0 = L0 ?? ls;
          pending = { weights: gradNormStep(wNow, norms, ls, l0, alpha, lr), initialLosses: l0 };
        }
        return weightedSum(losses, wNow);
      });
    },
    afterStep: (ctx) => {
      if (pending !== undefined) { w = pending.weights; L0 = pending.initialLosses; }
      pending = undefined;
      mt.tasks.forEach((t, i) => ctx.log(`w.${t.name}`, w[i]!));
    },
    saveState: (): GradNormState => ({ weights: w.slice(), initialLosses: L0 && L0.slice() }),
    loadState: (st) => {
      const s = st as GradNormState | undefined;
      if (!s || !Array.isArray(s.weights) || s.weights.length !== T) throw new TransferError(name, "state", `must be { weights: number[${T}], initialLosses }`);
      w = s.weights.slice();
      L0 = s.initialLosses && s.initialLosses.slice();
    },
  };
}
