import { type Tensor, type Tree, tensor, treeFlatten, treeMap } from "@regularize/core-autodiff";
import { type Dataset, type FitContext, type Plugin, checkHookContext, optionOr } from "@regularize/core-train";
import { OptionError, UsageError } from "./errors.js";
import type { NamedPluginOptions } from "./sam.js";
import { checkNumber, checkOptions, check } from "./validate.js";

/** A validation metric: the name of one fit computes, or a function of the parameters. */
export type EarlyStoppingMetric = "valLoss" | "valAccuracy" | ((params: Tree, ctx: FitContext) => number);

/** Options of `earlyStopping`. */
export interface EarlyStoppingOptions extends NamedPluginOptions {
  /**
   * Validate after every T-th step. Default: at the end of every epoch, reusing fit's own
   * `valLoss`/`valAccuracy` when it computed them.
   */
  readonly every?: number;
  /** Evaluations without improvement before `cancel("fit")` (default Infinity: train to the budget, then restore). */
  readonly patience?: number;
  /** An improvement must beat the best by more than this (default 0). */
  readonly minDelta?: number;
  /** What to monitor (default "valLoss"). */
  readonly metric?: EarlyStoppingMetric;
  /** "min" or "max" (default "max" for valAccuracy, else "min"). */
  readonly mode?: "min" | "max";
  /** Validation set (default: the fit's `validation`). */
  readonly validation?: Dataset;
}

/** The best evaluation so far. */
export interface EarlyStoppingBest {
  /** Steps completed when the best parameters were seen (0 = the initial parameters). */
  readonly step: number;
  readonly value: number;
  /** A copy of the best parameters. */
  readonly params: Tree;
}

/** What `saveState` returns: enough to resume the monitor exactly. */
export interface EarlyStoppingState {
  readonly best: EarlyStoppingBest | null;
  /** Evaluations since the last improvement. */
  readonly wait: number;
  readonly stoppedEarly: boolean;
}

/** The early-stopping plugin, with its progress readable during and after a fit. */
export interface EarlyStoppingPlugin extends Plugin {
  /** The best evaluation so far (after the fit: the restored parameters). */
  readonly best: EarlyStoppingBest | undefined;
  /** Whether patience ran out and the fit was cancelled. */
  readonly stoppedEarly: boolean;
  saveState(): EarlyStoppingState;
  loadState(state: unknown): void;
}

const copyTree = (t: Tree): Tree => treeMap((l: Tensor) => tensor(l), t);

/**
 * Early stopping (UDL §9.3.1): validate every T steps (or every epoch), keep a copy of the best
 * parameters, `cancel("fit")` after `patience` evaluations without improvement, and ALWAYS restore
 * the best parameters in afterFit — whether or not patience ran out — and in onError when the fit
 * fails (a NaN, a plugin error: the error's `params` are then the best ones). A non-finite
 * validation value (a diverged run with `checkFinite: false`) ends the fit like patience running
 * out (`<name>/diverged` logs the step), as Lightning's `check_finite`. The best step is logged as
 * `<name>/bestStep` (and `<name>/bestValue`, `<name>/stoppedEarly`) in the fit summary and is
 * readable as `plugin.best`; `saveState` carries it across a resume.
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingPlugin {
  const fn = "earlyStopping";
  checkOptions(fn, options, { name: true, every: true, patience: true, minDelta: true, metric: true, mode: true, validation: true });
  const every = options.every === undefined ? undefined : checkNumber(fn, "every", options.every, { integer: true, min: 1 });
  const patience = options.patience === undefined || options.patience === Infinity ? Infinity : checkNumber(fn, "patience", options.patience, { integer: true, min: 1 });
  const minDelta = options.minDelta === undefined ? 0 : checkNumber(fn, "minDelta", options.minDelta, { min: 0 });
  const metric = optionOr(options.metric, "valLoss");
  if (metric !== "valLoss" && metric !== "valAccuracy" && typeof metric !== "function") {
    throw new OptionError(fn, "metric", `must be "valLoss", "valAccuracy" or a function (params, ctx) => number, got ${String(metric)}`);
  }
  const mode = optionOr(options.mode, metric === "valAccuracy" ? "max" : "min");
  if (mode !== "min" && mode !== "max") throw new OptionError(fn, "mode", `must be "min" or "max", got ${String(mode)}`);
  if (options.validation !== undefined && (typeof options.validation !== "object" || options.validation === null || !("x" in options.validation) || !("y" in options.validation))) {
    throw new OptionError(fn, "validation", "must be a dataset { x, y }");
  }
  const name = check.name(fn, options.name, fn);

  let best: EarlyStoppingBest | null = null;
  let wait = 0;
  let stoppedEarly = false;

  const measure = (ctx: FitContext, fromEpoch: boolean): number => {
    if (typeof metric === "function") return metric(ctx.params, ctx);
    // at an epoch end fit may already have evaluated its validation set: reuse it
    const known = fromEpoch && options.validation === undefined ? ctx.metrics?.[metric] : undefined;
    if (known !== undefined) return known;
    const data = options.validation ?? ctx.validation;
    if (data === undefined) throw new UsageError(fn, `metric "${metric}" needs a validation set: pass earlyStopping({ validation }) or fit({ validation })`);
    const ev = ctx.evaluate(ctx.params, data);
    if (metric === "valLoss") return ev.loss;
    if (ev.accuracy === undefined) throw new UsageError(fn, `metric "valAccuracy" needs classification targets (evaluate returned no accuracy)`);
    return ev.accuracy;
  };

  const consider = (ctx: FitContext, stepsDone: number, fromEpoch: boolean): void => {
    const value = measure(ctx, fromEpoch);
    if (!Number.isFinite(value)) {
      // the run diverged: never a new best; stop, and afterFit restores the best parameters
      ctx.log(`${name}/diverged`, stepsDone);
      if (!stoppedEarly) {
        stoppedEarly = true;
        ctx.cancel("fit");
      }
      return;
    }
    if (stepsDone > 0) ctx.log(`${name}/${typeof metric === "function" ? "metric" : metric}`, value);
    const improved = best === null || (mode === "min" ? value < best.value - minDelta : value > best.value + minDelta);
    if (improved) {
      best = { step: stepsDone, value, params: copyTree(ctx.params) };
      wait = 0;
      return;
    }
    wait++;
    if (wait >= patience && !stoppedEarly) {
      stoppedEarly = true;
      ctx.cancel("fit");
    }
  };

  const restore = (ctx: FitContext): void => {
    if (best === null) return;
    ctx.setParams(copyTree(best.params));
    ctx.log(`${name}/bestStep`, best.step);
    ctx.log(`${name}/bestValue`, best.value);
    ctx.log(`${name}/stoppedEarly`, stoppedEarly ? 1 : 0);
  };

  const plugin: EarlyStoppingPlugin = {
    name,
    get best() {
      return best ?? undefined;
    },
    get stoppedEarly() {
      return stoppedEarly;
    },
    beforeFit(ctx) {
      checkHookContext(name, "beforeFit", ctx, []);
      best = null;
      wait = 0;
      stoppedEarly = false;
      // a resumed fit gets its monitor back from loadState (called right after beforeFit)
      if (ctx.resumed === true) return;
      // the initial parameters are a candidate too: if validation only gets worse, they are restored
      if (typeof metric === "function" || options.validation !== undefined || ctx.validation !== undefined) consider(ctx, ctx.step, false);
    },
    afterStep(ctx) {
      checkHookContext(name, "afterStep", ctx, ["step", "params"]);
      // afterStep runs before the runner increments step: ctx.step + 1 steps are done
      if (every !== undefined && (ctx.step + 1) % every === 0) consider(ctx, ctx.step + 1, false);
    },
    afterEpoch(ctx) {
      checkHookContext(name, "afterEpoch", ctx, ["step", "params"]);
      if (every === undefined) consider(ctx, ctx.step, true);
    },
    afterFit: (ctx) => {
      checkHookContext(name, "afterFit", ctx, ["setParams"]);
      restore(ctx);
    },
    onError: (_e, ctx) => {
      checkHookContext(name, "onError", ctx, ["setParams"]);
      restore(ctx);
    },
    saveState: () => ({ best: best === null ? null : { ...best, params: copyTree(best.params) }, wait, stoppedEarly }),
    loadState(state: unknown) {
      const s = state as Partial<EarlyStoppingState> | null;
      if (s === null || typeof s !== "object" || typeof s.wait !== "number" || typeof s.stoppedEarly !== "boolean" || !("best" in s)) {
        throw new UsageError(fn, "loadState: not a state saved by earlyStopping");
      }
      if (s.best !== null && s.best !== undefined) {
        const b = s.best;
        if (typeof b.step !== "number" || typeof b.value !== "number") throw new UsageError(fn, "loadState: malformed best entry");
        treeFlatten(b.params);
        best = { step: b.step, value: b.value, params: copyTree(b.params) };
      } else best = null;
      wait = s.wait;
      stoppedEarly = s.stoppedEarly;
    },
  };
  return plugin;
}
