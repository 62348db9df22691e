import { OptionError } from "./errors.js";
import { checkNumber, checkOptions, optionalBoolean, optionalNumber } from "./validate.js";
import { optionOr } from "@regularize/core-train";

/**
 * A step-size (or any hyper-parameter) schedule: the value at 0-based step `count`. Schedules are
 * pure functions of the count, so a transform's state only needs the count to resume exactly.
 */
export type Schedule = (count: number) => number;

/** A number or a schedule (options that accept both). */
export type ScheduleLike = number | Schedule;

/** Turn a number into a constant schedule; validate it as `option` of `fn`. @internal */
export function toSchedule(fn: string, option: string, value: ScheduleLike, min = 0): Schedule {
  if (typeof value === "function") return value;
  const v = checkNumber(fn, option, value, { min });
  return () => v;
}

/** The same value at every step. */
export function constantSchedule(value: number): Schedule {
  const v = checkNumber("constantSchedule", "value", value);
  return () => v;
}

/** Options of `stepSchedule` (PyTorch's StepLR). */
export interface StepScheduleOptions {
  /** Value at step 0. */
  readonly init: number;
  /** Multiply by `gamma` every `stepSize` steps. */
  readonly stepSize: number;
  /** Factor per boundary (default 0.1). */
  readonly gamma?: number;
}

/** init·γ^⌊t/stepSize⌋ (PyTorch StepLR): the value drops at t = stepSize, 2·stepSize, … */
export function stepSchedule(options: StepScheduleOptions): Schedule {
  const fn = "stepSchedule";
  checkOptions(fn, options, { init: true, stepSize: true, gamma: true });
  const init = checkNumber(fn, "init", options.init);
  const size = checkNumber(fn, "stepSize", options.stepSize, { integer: true, min: 1 });
  const gamma = optionalNumber(fn, "gamma", options.gamma, 0.1, { min: 0 });
  return (t) => init * gamma ** Math.floor(t / size);
}

/** Options of `piecewiseConstantSchedule`. */
export interface PiecewiseConstantScheduleOptions {
  /** Increasing step counts where the value changes. */
  readonly boundaries: readonly number[];
  /** boundaries.length + 1 values: values[i] holds from boundaries[i−1] (inclusive) to boundaries[i]. */
  readonly values: readonly number[];
}

/** values[i] for boundaries[i−1] ≤ t < boundaries[i] (the new value applies at the boundary step itself, as MultiStepLR). */
export function piecewiseConstantSchedule(options: PiecewiseConstantScheduleOptions): Schedule {
  const fn = "piecewiseConstantSchedule";
  checkOptions(fn, options, { boundaries: true, values: true });
  const { boundaries, values } = options;
  if (!Array.isArray(boundaries)) throw new OptionError(fn, "boundaries", "must be an array of step counts");
  if (!Array.isArray(values) || values.length !== boundaries.length + 1) {
    throw new OptionError(fn, "values", `must hold boundaries.length + 1 = ${boundaries.length + 1} numbers`);
  }
  boundaries.forEach((b, i) => {
    checkNumber(fn, `boundaries[${i}]`, b, { integer: true, min: i === 0 ? 0 : boundaries[i - 1]! + 1 });
  });
  values.forEach((v, i) => checkNumber(fn, `values[${i}]`, v));
  const bs = [...boundaries], vs = [...values];
  return (t) => {
    let i = 0;
    while (i < bs.length && t >= bs[i]!) i++;
    return vs[i]!;
  };
}

/** Options of `exponentialDecaySchedule`. */
export interface ExponentialDecayScheduleOptions {
  /** Value at step `transitionBegin` (and before it). */
  readonly init: number;
  /** Factor per `transitionSteps` steps (0 < rate; < 1 decays). */
  readonly decayRate: number;
  /** Steps per factor of `decayRate` (default 1). */
  readonly transitionSteps?: number;
  /** Apply the decay in whole multiples of transitionSteps (default false: continuous). */
  readonly staircase?: boolean;
  /** Steps before the decay starts (default 0). */
  readonly transitionBegin?: number;
  /** Bound the value: a floor when decaying, a ceiling when growing. */
  readonly endValue?: number;
}

/** init·rate^((t − begin)/transitionSteps), optionally staircased and bounded by endValue (optax's exponential_decay). */
export function exponentialDecaySchedule(options: ExponentialDecayScheduleOptions): Schedule {
  const fn = "exponentialDecaySchedule";
  checkOptions(fn, options, { init: true, decayRate: true, transitionSteps: true, staircase: true, transitionBegin: true, endValue: true });
  const init = checkNumber(fn, "init", options.init);
  const rate = checkNumber(fn, "decayRate", options.decayRate, { above: 0 });
  const steps = optionalNumber(fn, "transitionSteps", options.transitionSteps, 1, { above: 0 });
  const staircase = optionalBoolean(fn, "staircase", options.staircase, false);
  const begin = optionalNumber(fn, "transitionBegin", options.transitionBegin, 0, { integer: true, min: 0 });
  const end = options.endValue === undefined ? undefined : checkNumber(fn, "endValue", options.endValue);
  return (t) => {
    let p = Math.max(0, t - begin) / steps;
    if (staircase) p = Math.floor(p);
    const v = init * rate ** p;
    if (end === undefined) return v;
    return rate < 1 ? Math.max(v, end) : Math.min(v, end);
  };
}

/** Options of `cosineDecaySchedule`. */
export interface CosineDecayScheduleOptions {
  /** Value at step 0. */
  readonly init: number;
  /** Steps over which the value decays; constant afterwards. */
  readonly decaySteps: number;
  /** Final value as a fraction of init (default 0). */
  readonly alpha?: number;
}

/** init·((1 − α)·½(1 + cos(π·min(t, T)/T)) + α): init at 0, α·init at T = decaySteps (SGDR without restarts). */
export function cosineDecaySchedule(options: CosineDecayScheduleOptions): Schedule {
  const fn = "cosineDecaySchedule";
  checkOptions(fn, options, { init: true, decaySteps: true, alpha: true });
  const init = checkNumber(fn, "init", options.init);
  const T = checkNumber(fn, "decaySteps", options.decaySteps, { integer: true, min: 1 });
  const alpha = optionalNumber(fn, "alpha", options.alpha, 0, { min: 0, max: 1 });
  return (t) => {
    const c = 0.5 * (1 + Math.cos((Math.PI * Math.min(Math.max(t, 0), T)) / T));
    return init * ((1 - alpha) * c + alpha);
  };
}

/** Options of `warmRestartsSchedule`. */
export interface WarmRestartsScheduleOptions {
  /** Value at the start of every cycle (η_max). */
  readonly init: number;
  /** Length of the first cycle in steps (T₀). */
  readonly period: number;
  /** Each cycle is `periodMult` times longer than the previous (integer ≥ 1, default 1). */
  readonly periodMult?: number;
  /** Value approached at the end of each cycle (η_min, default 0). */
  readonly minValue?: number;
}

/**
 * SGDR (Loshchilov & Hutter), PyTorch's CosineAnnealingWarmRestarts: within a cycle of length Tᵢ,
 * η = η_min + (η_max − η_min)·½(1 + cos(π·t_cur/Tᵢ)); it jumps back to η_max at every restart.
 */
export function warmRestartsSchedule(options: WarmRestartsScheduleOptions): Schedule {
  const fn = "warmRestartsSchedule";
  checkOptions(fn, options, { init: true, period: true, periodMult: true, minValue: true });
  const init = checkNumber(fn, "init", options.init);
  const T0 = checkNumber(fn, "period", options.period, { integer: true, min: 1 });
  const mult = optionalNumber(fn, "periodMult", options.periodMult, 1, { integer: true, min: 1 });
  const min = optionalNumber(fn, "minValue", options.minValue, 0);
  return (t) => {
    let cur = Math.max(0, t), Ti = T0;
    while (cur >= Ti) {
      cur -= Ti;
      Ti *= mult;
    }
    return min + (init - min) * 0.5 * (1 + Math.cos((Math.PI * cur) / Ti));
  };
}

/** Options of `cyclicSchedule`. */
export interface CyclicScheduleOptions {
  /** Lower bound of the cycle (value at step 0). */
  readonly baseValue: number;
  /** Upper bound, reached at t = stepSize, 3·stepSize, … */
  readonly maxValue: number;
  /** Half a cycle, in steps. */
  readonly stepSize: number;
  /** "triangular" (default) keeps the amplitude; "triangular2" halves it every cycle. */
  readonly mode?: "triangular" | "triangular2";
}

/** Smith's cyclical learning rate (PyTorch CyclicLR): a triangle wave between baseValue and maxValue. */
export function cyclicSchedule(options: CyclicScheduleOptions): Schedule {
  const fn = "cyclicSchedule";
  checkOptions(fn, options, { baseValue: true, maxValue: true, stepSize: true, mode: true });
  const base = checkNumber(fn, "baseValue", options.baseValue);
  const max = checkNumber(fn, "maxValue", options.maxValue);
  const s = checkNumber(fn, "stepSize", options.stepSize, { integer: true, min: 1 });
  const mode = optionOr(options.mode, "triangular");
  if (mode !== "triangular" && mode !== "triangular2") throw new OptionError(fn, "mode", `must be "triangular" or "triangular2", got ${String(mode)}`);
  return (t) => {
    const cycle = Math.floor(1 + t / (2 * s));
    const x = Math.abs(t / s - 2 * cycle + 1);
    const scale = mode === "triangular" ? 1 : 1 / 2 ** (cycle - 1);
    return base + (max - base) * Math.max(0, 1 - x) * scale;
  };
}

/** Options of `linearSchedule`. */
export interface LinearScheduleOptions {
  /** Value up to step `transitionBegin`. */
  readonly init: number;
  /** Value from step transitionBegin + transitionSteps on. */
  readonly end: number;
  /** Length of the linear ramp. */
  readonly transitionSteps: number;
  /** Steps before the ramp starts (default 0). */
  readonly transitionBegin?: number;
}

/** A linear ramp from init to end over transitionSteps steps, constant before and after. */
export function linearSchedule(options: LinearScheduleOptions): Schedule {
  const fn = "linearSchedule";
  checkOptions(fn, options, { init: true, end: true, transitionSteps: true, transitionBegin: true });
  const init = checkNumber(fn, "init", options.init);
  const end = checkNumber(fn, "end", options.end);
  const T = checkNumber(fn, "transitionSteps", options.transitionSteps, { integer: true, min: 1 });
  const begin = optionalNumber(fn, "transitionBegin", options.transitionBegin, 0, { integer: true, min: 0 });
  return (t) => {
    const frac = Math.min(Math.max(t - begin, 0), T) / T;
    return init + (end - init) * frac;
  };
}

/** Options of `linearWarmup`. */
export interface LinearWarmupOptions {
  /** Steps of the ramp. */
  readonly warmupSteps: number;
  /** Value at step 0 (default 0). */
  readonly init?: number;
  /** What follows the warm-up, restarted at count 0 when the warm-up ends; the ramp ends at its first value. */
  readonly then: ScheduleLike;
}

/**
 * Linear warm-up from `init` to `then(0)` over warmupSteps steps, then `then(t − warmupSteps)`:
 * e.g. `linearWarmup({ warmupSteps: 100, then: cosineDecaySchedule({ init: 1e-3, decaySteps: 900 }) })`.
 */
export function linearWarmup(options: LinearWarmupOptions): Schedule {
  const fn = "linearWarmup";
  checkOptions(fn, options, { warmupSteps: true, init: true, then: true });
  const W = checkNumber(fn, "warmupSteps", options.warmupSteps, { integer: true, min: 1 });
  const init = optionalNumber(fn, "init", options.init, 0);
  if (options.then === undefined) throw new OptionError(fn, "then", "is required (a number or a schedule)");
  const then = toSchedule(fn, "then", options.then, -Infinity);
  return (t) => (t < W ? init + ((then(0) - init) * Math.max(t, 0)) / W : then(t - W));
}

/** Run schedules one after another: schedules[i] applies from boundaries[i−1] on, restarted at count 0 there (optax's join_schedules). */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  const fn = "joinSchedules";
  if (!Array.isArray(schedules) || schedules.length === 0 || schedules.some((s) => typeof s !== "function")) {
    throw new OptionError(fn, "schedules", "must be a non-empty array of schedules");
  }
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new OptionError(fn, "boundaries", `must hold schedules.length − 1 = ${schedules.length - 1} step counts`);
  }
  boundaries.forEach((b, i) => checkNumber(fn, `boundaries[${i}]`, b, { integer: true, min: i === 0 ? 0 : boundaries[i - 1]! }));
  const ss = [...schedules], bs = [...boundaries];
  return (t) => {
    let i = 0;
    while (i < bs.length && t >= bs[i]!) i++;
    return ss[i]!(i === 0 ? t : t - bs[i - 1]!);
  };
}
