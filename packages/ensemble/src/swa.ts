import type { Tree } from "@regularize/core-autodiff";
import type { FitContext, Plugin, OptionKeys } from "@regularize/core-train";
import { type Schedule, type ScheduleLike } from "@regularize/optim";
import { check, requireInteger, requireNumber } from "./errors.js";
import { checkHookContext, optionOr } from "@regularize/core-train";
import { RunningTree } from "./running-average.js";

/** Options of `swa`. */
export interface SwaOptions {
  /** First epoch (0-based) whose end is averaged. */
  readonly startEpoch: number;
  /** Average every `everySteps` steps from the start epoch on, instead of at the end of each epoch. */
  readonly everySteps?: number;
  /** Replace the fit's final params with the average in afterFit (default false: read result.plugins.swa.params). */
  readonly applyAtEnd?: boolean;
  /** Plugin name (default "swa"). */
  readonly name?: string;
}
const SWA_KEYS: OptionKeys<SwaOptions> = { startEpoch: true, everySteps: true, applyAtEnd: true, name: true };

/** What `fit()` returns under `result.plugins[name]` for swa and ema. */
export interface AverageResult {
  /** The averaged parameters (undefined when nothing was averaged yet). */
  readonly params: Tree | undefined;
  /** How many iterates were folded in. */
  readonly count: number;
}

function whenFullEpoch(ctx: FitContext): boolean {
  // a cancelled or budget-truncated epoch is still closed by the runner; only full epochs count
  const spe = ctx.stepsPerEpoch;
  return spe === undefined || ctx.step === (ctx.epoch + 1) * spe;
}

/**
 * Stochastic weight averaging (Izmailov et al. 2018): the running mean of the iterates at the end of
 * every epoch from `startEpoch` on (or every `everySteps` steps), as torch.optim.swa_utils'
 * AveragedModel. Pair it with `swaSchedule` for the SWA learning rate. Our models have no batch
 * norm, so no BN statistics need recomputing after averaging. The average is plugin-owned: it
 * checkpoints with the run and comes back as `result.plugins.swa` ({ params, count }).
 * @example fit({ ..., optimizer: sgd({ learningRate: swaSchedule({ learningRate: 0.1, swaLr: 0.02, startStep: 750 }) }), plugins: [swa({ startEpoch: 15 })] })
 */
export function swa(options: SwaOptions): Plugin & { readonly average: () => AverageResult } {
  const name = check.plugin("swa", options, SWA_KEYS);
  const start = requireInteger(name, "startEpoch", options.startEpoch, 0);
  const applyAtEnd = check.boolean(name, "applyAtEnd", optionOr(options.applyAtEnd, false));
  const every = options.everySteps === undefined ? undefined : requireInteger(name, "everySteps", options.everySteps, 1);
  const avg = new RunningTree();
  const average = (): AverageResult => ({ params: avg.tree(), count: avg.count });
  const plugin: Plugin & { readonly average: () => AverageResult } = {
    name,
    order: 100, // after any plugin that edits params in afterStep (projections)
    average,
    beforeFit: (ctx) => {
      checkHookContext(name, "beforeFit", ctx, []);
      if (!ctx.resumed) avg.reset();
    },
    saveState: () => avg.save(),
    loadState: (s) => avg.load(name, s),
    result: average,
    ...(every === undefined
      ? { afterEpoch: (ctx: FitContext) => { checkHookContext(name, "afterEpoch", ctx, ["epoch", "params"]); if (ctx.epoch >= start && whenFullEpoch(ctx)) avg.addToMean(name, ctx.params); } }
      : {
        afterStep: (ctx: FitContext) => {
          checkHookContext(name, "afterStep", ctx, ["step", "params"]);
          const first = start * (ctx.stepsPerEpoch ?? 0), s = ctx.step - first;
          if (s >= 0 && (s + 1) % every === 0) avg.addToMean(name, ctx.params);
        },
      }),
    ...(applyAtEnd ? { afterFit: (ctx: FitContext) => { checkHookContext(name, "afterFit", ctx, ["setParams"]); const p = avg.tree(); if (p !== undefined) ctx.setParams(p); } } : {}),
  };
  return plugin;
}

/** Options of `swaSchedule`. */
export interface SwaScheduleOptions {
  /** The learning rate before SWA starts (a number or a schedule). */
  readonly learningRate: ScheduleLike;
  /** The constant SWA learning rate. */
  readonly swaLr: number;
  /** The step at which SWA starts (e.g. startEpoch × steps per epoch). */
  readonly startStep: number;
  /** Steps to anneal from the learning rate at startStep to swaLr (default 0: switch at once). */
  readonly annealSteps?: number;
  /** "cos" (default, as torch's SWALR) or "linear" annealing. */
  readonly annealStrategy?: "cos" | "linear";
}

/**
 * The SWA learning-rate schedule (torch.optim.swa_utils.SWALR): `learningRate` before `startStep`,
 * then an annealing over `annealSteps` from its value at startStep to `swaLr`, then `swaLr`.
 */
export function swaSchedule(options: SwaScheduleOptions): Schedule {
  const fn = "swaSchedule";
  check.options(fn, options, { learningRate: true, swaLr: true, startStep: true, annealSteps: true, annealStrategy: true }, { required: true });
  const lr = options.learningRate;
  const base: Schedule = typeof lr === "function" ? lr : ((v) => () => v)(requireNumber(fn, "learningRate", lr, 0));
  const swaLr = requireNumber(fn, "swaLr", options.swaLr, 0);
  const start = requireInteger(fn, "startStep", options.startStep, 0);
  const anneal = requireInteger(fn, "annealSteps", optionOr(options.annealSteps, 0), 0);
  const strategy = check.oneOf(fn, "annealStrategy", optionOr(options.annealStrategy, "cos"), ["cos", "linear"] as const);
  const from = base(start);
  return (t) => {
    if (t < start) return base(t);
    if (anneal === 0) return swaLr;
    const a = Math.min(1, (t - start + 1) / anneal);
    return strategy === "cos" ? swaLr + ((from - swaLr) * (1 + Math.cos(Math.PI * a))) / 2 : from + (swaLr - from) * a;
  };
}
