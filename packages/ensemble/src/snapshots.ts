import { type Tree } from "@regularize/core-autodiff";
import type { FitContext, Plugin } from "@regularize/core-train";
import { type Schedule, type ScheduleLike, warmRestartsSchedule } from "@regularize/optim";
import { check, EnsembleOptionError, requireInteger, requireNumber } from "./errors.js";
import { optionOr } from "@regularize/core-train";
import { cloneTree } from "./running-average.js";

/** What `fit()` returns under `result.plugins[name]` for snapshot ensembles and FGE. */
export interface SnapshotResult {
  /** The collected parameter trees, oldest first. */
  readonly snapshots: Tree[];
  /** The step (0-based index of the step just taken) at which each was collected. */
  readonly steps: number[];
}

interface Collector {
  snapshots: Tree[];
  steps: number[];
}

function collectorPlugin(name: string, due: (step: number) => boolean, keepLast: number | undefined): Plugin {
  let c: Collector = { snapshots: [], steps: [] };
  return {
    name,
    order: 100,
    beforeFit: (ctx) => { if (!ctx.resumed) c = { snapshots: [], steps: [] }; },
    afterStep: (ctx: FitContext) => {
      if (!due(ctx.step)) return;
      c.snapshots.push(cloneTree(ctx.params));
      c.steps.push(ctx.step);
      if (keepLast !== undefined && c.snapshots.length > keepLast) {
        c.snapshots.shift();
        c.steps.shift();
      }
    },
    saveState: () => ({ snapshots: [...c.snapshots], steps: [...c.steps] }),
    loadState: (s) => {
      const st = s as Partial<Collector> | null;
      if (st === null || typeof st !== "object" || !Array.isArray(st.snapshots) || !Array.isArray(st.steps)) {
        throw new EnsembleOptionError(name, "state", "is not a saved snapshot list");
      }
      c = { snapshots: [...st.snapshots], steps: [...st.steps] };
    },
    result: (): SnapshotResult => ({ snapshots: [...c.snapshots], steps: [...c.steps] }),
  };
}

/** Options of `snapshotEnsemble`. */
export interface SnapshotEnsembleOptions {
  /** Steps per cosine cycle; a snapshot is taken after the last step of each cycle (where the LR is lowest). */
  readonly cycleSteps: number;
  /** Keep only the last `keepLast` snapshots (default: all). */
  readonly keepLast?: number;
  /** Plugin name (default "snapshot"). */
  readonly name?: string;
}

/**
 * Snapshot ensembles (Huang et al. 2017): train with `snapshotSchedule` (cosine annealing restarted
 * every cycle) and keep the parameters at the end of every cycle. The snapshots come back as
 * `result.plugins.snapshot` ({ snapshots, steps }); make them an `ensemble`.
 */
export function snapshotEnsemble(options: SnapshotEnsembleOptions): Plugin {
  const name = check.plugin("snapshot", options, { cycleSteps: true, keepLast: true, name: true });
  const c = requireInteger(name, "cycleSteps", options.cycleSteps, 1);
  const keep = options.keepLast === undefined ? undefined : requireInteger(name, "keepLast", options.keepLast, 1);
  return collectorPlugin(name, (step) => (step + 1) % c === 0, keep);
}

/** Options of `snapshotSchedule`. */
export interface SnapshotScheduleOptions {
  /** α₀: the learning rate at the start of every cycle. */
  readonly learningRate: number;
  /** Steps per cycle (⌈T/M⌉ for M snapshots in T steps). */
  readonly cycleSteps: number;
  /** The learning rate approached at each cycle's end (default 0). */
  readonly minLr?: number;
}

/** Huang et al.'s cyclic cosine schedule α(t) = α₀/2·(cos(π·(t mod c)/c) + 1): SGDR with a fixed period. */
export function snapshotSchedule(options: SnapshotScheduleOptions): Schedule {
  const fn = "snapshotSchedule";
  check.options(fn, options, { learningRate: true, cycleSteps: true, minLr: true }, { required: true });
  const lr = requireNumber(fn, "learningRate", options.learningRate, 0);
  const c = requireInteger(fn, "cycleSteps", options.cycleSteps, 1);
  return warmRestartsSchedule({ init: lr, period: c, minValue: requireNumber(fn, "minLr", optionOr(options.minLr, 0), 0) });
}

/** Options of `fastGeometric`. */
export interface FastGeometricOptions {
  /** The step at which the cyclic phase starts (after pre-training). */
  readonly startStep: number;
  /** Steps per triangular cycle; a model is collected at each cycle's end (where the LR is lowest). */
  readonly cycleSteps: number;
  /** Keep only the last `keepLast` models (default: all). */
  readonly keepLast?: number;
  /** Plugin name (default "fge"). */
  readonly name?: string;
}

/**
 * Fast geometric ensembling (Garipov et al. 2018): after `startStep`, the learning rate follows
 * `fgeSchedule`'s triangular cycles and a model is collected at the end of every cycle.
 * Returned as `result.plugins.fge` ({ snapshots, steps }).
 */
export function fastGeometric(options: FastGeometricOptions): Plugin {
  const name = check.plugin("fge", options, { startStep: true, cycleSteps: true, keepLast: true, name: true });
  const start = requireInteger(name, "startStep", options.startStep, 0);
  const c = requireInteger(name, "cycleSteps", options.cycleSteps, 1);
  const keep = options.keepLast === undefined ? undefined : requireInteger(name, "keepLast", options.keepLast, 1);
  return collectorPlugin(name, (step) => step >= start && (step - start + 1) % c === 0, keep);
}

/** Options of `fgeSchedule`. */
export interface FgeScheduleOptions {
  /** The learning rate before `startStep` (pre-training; a number or a schedule). */
  readonly learningRate: ScheduleLike;
  /** α₁, the cycle's highest learning rate (reached mid-cycle). */
  readonly high: number;
  /** α₂, the cycle's lowest learning rate (reached at each cycle's end, where models are collected). */
  readonly low: number;
  readonly startStep: number;
  readonly cycleSteps: number;
}

/**
 * FGE's triangular cyclic learning rate, phased so that each cycle ends at its minimum: with
 * u = (p + 1)/c for position p in the cycle, α = (1 − 2u)α₂ + 2uα₁ for u ≤ ½ and (2 − 2u)α₁ + (2u − 1)α₂
 * after — Garipov et al.'s schedule shifted by half a cycle.
 */
export function fgeSchedule(options: FgeScheduleOptions): Schedule {
  const fn = "fgeSchedule";
  check.options(fn, options, { learningRate: true, high: true, low: true, startStep: true, cycleSteps: true }, { required: true });
  const lr = options.learningRate;
  const base: Schedule = typeof lr === "function" ? lr : ((v) => () => v)(requireNumber(fn, "learningRate", lr, 0));
  const hi = requireNumber(fn, "high", options.high, 0), lo = requireNumber(fn, "low", options.low, 0);
  const start = requireInteger(fn, "startStep", options.startStep, 0);
  const c = requireInteger(fn, "cycleSteps", options.cycleSteps, 1);
  return (t) => {
    if (t < start) return base(t);
    const u = (((t - start) % c) + 1) / c;
    return u <= 0.5 ? (1 - 2 * u) * lo + 2 * u * hi : (2 - 2 * u) * hi + (2 * u - 1) * lo;
  };
}
