import { type Tree, split } from "@regularize/core-autodiff";
import { type FitContext, type Objective, type ObjectiveContext, type Plugin, optionOr } from "@regularize/core-train";
import { OptionError, UsageError } from "./errors.js";
import type { Loss } from "./loss.js";
import type { NamedPluginOptions } from "./sam.js";
import { hessianTopEigenvalue, hessianTraceEstimate } from "./sharpness.js";
import { checkNumber, checkOptions, optionalBoolean, optionalNumber, check } from "./validate.js";

/** Options of `sharpnessMonitor`. */
export interface SharpnessMonitorOptions extends NamedPluginOptions {
  /** Measure after every T-th step (T ≥ 1). */
  readonly every: number;
  /**
   * Which loss to measure: "batch" (default: the step's objective on its batch, penalties included),
   * "train" (the data loss on the whole training set, train-mode forward), or a function of the params.
   */
  readonly loss?: "batch" | "train" | Loss;
  /** Log the top Hessian eigenvalue (default true). */
  readonly eigenvalue?: boolean;
  /** Log Hutchinson's Hessian-trace estimate (default true). */
  readonly trace?: boolean;
  /** Power iterations (default 20). */
  readonly iters?: number;
  /** Hutchinson probes (default 10). */
  readonly samples?: number;
}

/**
 * Log the sharpness of the loss every T steps: `<name>/topEigenvalue` (power iteration on
 * Hessian–vector products) and `<name>/hessianTrace` (Hutchinson), seeded by the plugin's key.
 * FitContext carries no loss function, so the plugin captures the step's objective through its
 * `objective` hook (returned unchanged).
 */
export function sharpnessMonitor(options: SharpnessMonitorOptions): Plugin {
  const fn = "sharpnessMonitor";
  checkOptions(fn, options, { name: true, every: true, loss: true, eigenvalue: true, trace: true, iters: true, samples: true });
  const every = checkNumber(fn, "every", options.every, { integer: true, min: 1 });
  const which = optionOr(options.loss, "batch");
  if (which !== "batch" && which !== "train" && typeof which !== "function") throw new OptionError(fn, "loss", `must be "batch", "train" or a loss function`);
  const doEig = optionalBoolean(fn, "eigenvalue", options.eigenvalue, true);
  const doTrace = optionalBoolean(fn, "trace", options.trace, true);
  const iters = optionalNumber(fn, "iters", options.iters, 20, { integer: true, min: 1 });
  const samples = optionalNumber(fn, "samples", options.samples, 10, { integer: true, min: 1 });
  const name = check.name(fn, options.name, fn);
  let objective: Objective | undefined;
  let octx: ObjectiveContext | undefined;
  const lossNow = (ctx: FitContext): Loss => {
    if (typeof which === "function") return which;
    if (which === "batch") {
      if (objective === undefined) throw new UsageError(fn, "no objective captured yet (the objective hook did not run)");
      return objective;
    }
    const data = ctx.data;
    if (data === undefined || octx === undefined) throw new UsageError(fn, `loss "train" needs the training set on the fit context`);
    const o = octx;
    return (p: Tree) => o.dataLoss(p, data);
  };
  return {
    name,
    enforce: "pre",
    objective(inner, ctx) {
      objective = inner;
      octx = ctx;
      return inner;
    },
    afterStep(ctx) {
      // afterStep runs before the runner increments step: ctx.step + 1 steps are done
      if ((ctx.step + 1) % every !== 0) return;
      const loss = lossNow(ctx);
      const [k1, k2] = split(ctx.key, 2) as [typeof ctx.key, typeof ctx.key];
      if (doEig) ctx.log(`${name}/topEigenvalue`, hessianTopEigenvalue(loss, ctx.params, { key: k1, iters }));
      if (doTrace) ctx.log(`${name}/hessianTrace`, hessianTraceEstimate(loss, ctx.params, { key: k2, samples }).trace);
    },
  };
}
