import { type Tensor, exp, mul, neg, add, scalar } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { TransferError, check, checkMultiTask, isNumber, isNumberOrTensor, isTensor, requireArrayOf } from "./errors.js";
import type { MultiTask } from "./multi-task.js";
import { replaceDataLoss } from "./task-objective.js";
import { optionOr } from "@regularize/core-train";

/** Options of {@link uncertaintyWeighting}. */
export interface UncertaintyWeightingOptions {
  /** The tasks (fit's `loss` must be `multiTask.loss`; their fixed weights are replaced). */
  readonly multiTask: MultiTask;
  /** Step size of the plugin's own gradient descent on s = log σ² (default 0.01). */
  readonly learningRate?: number;
  /** Initial s_t for every task (default 0, i.e. σ² = 1). */
  readonly init?: number;
  /** Plugin name (default "uncertaintyWeighting"). */
  readonly name?: string;
}

/** State of {@link uncertaintyWeighting}: the log-variances s_t. */
export interface UncertaintyWeightingState {
  readonly logVars: number[];
}

/**
 * Kendall, Gal & Cipolla (2018)'s homoscedastic-uncertainty weighting,
 * Σ_t ½·exp(−s_t)·L_t + ½·s_t with s_t = log σ_t² (their eq. 7, used for every task as is usual).
 */
export function uncertaintyWeightedLoss(losses: readonly Tensor[], logVars: readonly (number | Tensor)[]): Tensor {
  requireArrayOf<Tensor>("uncertaintyWeightedLoss", "losses", losses, isTensor, "a Tensor");
  requireArrayOf<number | Tensor>("uncertaintyWeightedLoss", "logVars", logVars, isNumberOrTensor, "a number or a Tensor");
  if (losses.length !== logVars.length || losses.length === 0) throw new TransferError("uncertaintyWeightedLoss", "logVars", `must have one entry per task loss (${losses.length}), got ${logVars.length}`);
  let total: Tensor | undefined;
  losses.forEach((l, t) => {
    const s = logVars[t]!;
    const st = typeof s === "number" ? scalar(s, l.dtype) : s;
    const term = mul(add(mul(exp(neg(st)), l), st), 0.5);
    total = total === undefined ? term : add(total, term);
  });
  return total!;
}

/** ∂/∂s_t of the uncertainty-weighted loss: ½·(1 − exp(−s_t)·L_t). */
export function uncertaintyLogVarGradient(losses: readonly number[], logVars: readonly number[]): number[] {
  requireArrayOf<number>("uncertaintyLogVarGradient", "losses", losses, isNumber, "a number");
  requireArrayOf<number>("uncertaintyLogVarGradient", "logVars", logVars, isNumber, "a number", losses.length);
  return logVars.map((s, t) => 0.5 * (1 - Math.exp(-s) * losses[t]!));
}

/**
 * Learned multi-task loss weights by homoscedastic uncertainty (Kendall et al. 2018): the data loss
 * becomes Σ_t ½·exp(−s_t)·L_t + ½·s_t. The network gets its gradient through fit; the s_t are the
 * plugin's own parameters, moved by plain gradient descent (their exact gradient ½(1 − e^{−s_t}L_t))
 * after each successful step, and saved/restored with the run. Logs `s.<task>` every step.
 * @example fit({ model, data, loss: mt.loss, plugins: [uncertaintyWeighting({ multiTask: mt })], optimizer, epochs: 10 })
 */
export function uncertaintyWeighting(options: UncertaintyWeightingOptions): Plugin<unknown> {
  const name = check.plugin("uncertaintyWeighting", options, { multiTask: true, learningRate: true, init: true, name: true });
  const mt = options.multiTask;
  checkMultiTask(name, mt);
  const lr = check.number(name, "learningRate", optionOr(options.learningRate, 0.01), { min: 0, max: 1e6 });
  const init = check.number(name, "init", optionOr(options.init, 0), { min: -50, max: 50 });
  let s = mt.tasks.map(() => init);
  let pending: number[] | undefined;
  return {
    name,
    // per-task losses and gradients are read into JS every step: not recordable by jit
    compile: false,
    beforeFit: (ctx) => { if (!ctx.resumed) s = mt.tasks.map(() => init); },
    objective: (inner, ctx) => {
      pending = undefined;
      const sNow = s.slice();
      return replaceDataLoss(mt, inner, ctx, (_params, losses) => {
        if (pending === undefined) {
          const g = uncertaintyLogVarGradient(losses.map((l) => l.data[0]!), sNow);
          pending = sNow.map((v, t) => v - lr * g[t]!);
        }
        return uncertaintyWeightedLoss(losses, sNow);
      });
    },
    // Commit only after a successful step: a failed step leaves s as it was.
    afterStep: (ctx) => {
      if (pending !== undefined) s = pending;
      pending = undefined;
      mt.tasks.forEach((t, i) => ctx.log(`s.${t.name}`, s[i]!));
    },
    saveState: (): UncertaintyWeightingState => ({ logVars: s.slice() }),
    loadState: (st) => {
      const v = (st as UncertaintyWeightingState | undefined)?.logVars;
      if (!Array.isArray(v) || v.length !== mt.tasks.length || v.some((x) => typeof x !== "number")) throw new TransferError(name, "state", `must be { logVars: number[${mt.tasks.length}] }`);
      s = v.slice();
    },
  };
}
