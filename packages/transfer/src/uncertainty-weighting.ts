import { type Tensor, exp, mul, neg, add, pureCallback, scalar, tensor } from "@regularize/core-autodiff";
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

/** Step state of {@link uncertaintyWeighting} (in the TrainState's `stepStates`): the log-variances s_t, float64 [T]. */
export interface UncertaintyWeightingState {
  readonly logVars: Tensor;
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
 * plugin's own parameters, moved by plain gradient descent (their exact gradient ½(1 − e^{−s_t}L_t)),
 * committed with each successful step. They are the plugin's step state (a float64 tensor
 * `logVars`, in the TrainState's `stepStates`), updated in a callback on the step's task losses, so
 * fit's compiled step records the plugin. Logs `s.<task>` every step.
 * @example fit({ model, data, loss: mt.loss, plugins: [uncertaintyWeighting({ multiTask: mt })], optimizer, epochs: 10 })
 */
export function uncertaintyWeighting(options: UncertaintyWeightingOptions): Plugin<unknown> {
  const name = check.plugin("uncertaintyWeighting", options, { multiTask: true, learningRate: true, init: true, name: true });
  const mt = options.multiTask;
  checkMultiTask(name, mt);
  const lr = check.number(name, "learningRate", optionOr(options.learningRate, 0.01), { min: 0, max: 1e6 });
  const init = check.number(name, "init", optionOr(options.init, 0), { min: -50, max: 50 });
  const T = mt.tasks.length;
  const fresh = (): UncertaintyWeightingState => ({ logVars: tensor(mt.tasks.map(() => init), { dtype: "float64" }) });
  return {
    name,
    stepState: { init: fresh },
    objective: (inner, ctx) => {
      const st = ctx.state as UncertaintyWeightingState | undefined;
      if (st === undefined || ctx.setState === undefined) throw new TransferError(name, "ctx", "must be fit's objective context (the log-variances are the plugin's step state)");
      const s = st.logVars;
      let updated = false;
      return replaceDataLoss(mt, inner, ctx, (_params, losses) => {
        if (!updated) {
          updated = true;
          // s ← s − lr·½(1 − e^{−s}·L), in float64 on the step's task losses (uncertaintyLogVarGradient's arithmetic)
          ctx.setState!({
            logVars: pureCallback((o, sv, ...ls) => {
              for (let t = 0; t < T; t++) o[t] = sv[t]! - lr * (0.5 * (1 - Math.exp(-sv[t]!) * ls[t]![0]!));
            }, [s, ...losses], [T], "float64"),
          });
        }
        // s_t in each loss's dtype, as scalar(s_t, dtype) rounds it
        return uncertaintyWeightedLoss(losses, losses.map((l, t) => pureCallback((o, sv) => { o[0] = sv[t]!; }, [s], [], l.dtype)));
      });
    },
    afterStep: (ctx) => {
      const s = (ctx.stepState as UncertaintyWeightingState).logVars.data;
      mt.tasks.forEach((t, i) => ctx.log(`s.${t.name}`, s[i]!));
    },
  };
}
