import type { FitContext, Plugin, OptionKeys } from "@regularize/core-train";
import { check, requireInteger, requireNumber } from "./errors.js";
import { checkHookContext, optionOr } from "@regularize/core-train";
import { RunningTree } from "./running-average.js";
import type { AverageResult } from "./swa.js";

/** Options of `ema`. */
export interface EmaOptions {
  /** Decay δ in avg ← δ·avg + (1 − δ)·φ (default 0.999). */
  readonly decay?: number;
  /** First step (0-based) whose result is averaged; the average starts as a copy of it (default 0). */
  readonly startStep?: number;
  /** Update every `everySteps` steps (default 1). */
  readonly everySteps?: number;
  /** Replace the fit's final params with the average in afterFit (default false). */
  readonly applyAtEnd?: boolean;
  /** Plugin name (default "ema"). */
  readonly name?: string;
}
const EMA_KEYS: OptionKeys<EmaOptions> = { decay: true, startStep: true, everySteps: true, applyAtEnd: true, name: true };

/**
 * Exponential moving average of the iterates (Polyak averaging with exponential forgetting, as
 * timm's ModelEma / torch's AveragedModel with an EMA update): after each step, avg ← δ·avg + (1 − δ)·φ,
 * starting from a copy of the first averaged iterate. Updated in place (no allocation per step);
 * returned as `result.plugins.ema` ({ params, count }) and checkpointed with the run.
 */
export function ema(options: EmaOptions = {}): Plugin & { readonly average: () => AverageResult } {
  const name = check.plugin("ema", options, EMA_KEYS, { required: false });
  const decay = requireNumber(name, "decay", optionOr(options.decay, 0.999), 0, 1);
  const start = requireInteger(name, "startStep", optionOr(options.startStep, 0), 0);
  const every = requireInteger(name, "everySteps", optionOr(options.everySteps, 1), 1);
  const applyAtEnd = check.boolean(name, "applyAtEnd", optionOr(options.applyAtEnd, false));
  const avg = new RunningTree();
  const average = (): AverageResult => ({ params: avg.tree(), count: avg.count });
  return {
    name,
    order: 100,
    average,
    beforeFit: (ctx) => {
      checkHookContext(name, "beforeFit", ctx, []);
      if (!ctx.resumed) avg.reset();
    },
    afterStep: (ctx: FitContext) => {
      checkHookContext(name, "afterStep", ctx, ["step", "params"]);
      const s = ctx.step - start;
      if (s >= 0 && (s + 1) % every === 0) avg.addToEma(name, ctx.params, decay);
    },
    ...(applyAtEnd ? { afterFit: (ctx: FitContext) => { checkHookContext(name, "afterFit", ctx, ["setParams"]); const p = avg.tree(); if (p !== undefined) ctx.setParams(p); } } : {}),
    saveState: () => avg.save(),
    loadState: (s) => avg.load(name, s),
    result: average,
  };
}
