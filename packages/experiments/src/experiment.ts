import type * as v from "valibot";
import { type Plugin, describeValue } from "@regularize/core-train";
import { ExperimentError } from "./errors.js";

/** One progress report of a running experiment. */
export interface Progress {
  /** Completed fraction in [0, 1]. */
  readonly fraction: number;
  /** Short human-readable status, e.g. "epoch 3 / 50". */
  readonly message?: string;
  /** Scalar metrics of this report (written to metrics.jsonl by the CLI, drawn live by the playground). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Optional partial result a panel may draw while the run continues. */
  readonly partial?: unknown;
}

/** Where a resumable experiment keeps its checkpoint (the CLI's run folder, a test's memory). */
export interface CheckpointStore {
  /** The checkpoint to continue from, if any (JSON-serialisable). */
  load(): unknown;
  /**
   * Persist a checkpoint (called on abort, and periodically where the entry chooses). `info.step`
   * tells the caller which progress it covers (the CLI drops metrics rows past it on resume).
   * Synchronous: serialise `state` before returning (the entry keeps mutating its arrays).
   */
  save(state: unknown, info?: { readonly step?: number }): void;
}

/** What `run` receives besides its validated params. */
export interface RunContext {
  /** Aborted on cancel (Ctrl-C, the playground's Cancel): stop at the next step, saving a checkpoint if resumable. */
  readonly signal: AbortSignal;
  /** Present when the caller can keep a checkpoint (CLI run folders). */
  readonly checkpoint?: CheckpointStore;
  /**
   * Extra plugins chosen by name (CLI `--plugin`, the playground's lab), created fresh for this run
   * from the catalog; entries with `acceptsPlugins` pass them to their `fit()`. Empty otherwise.
   */
  readonly plugins?: readonly Plugin[];
}

/** A run: a (sync or async) generator yielding progress and returning a JSON-serialisable result. */
export type ExperimentRun<R> = Generator<Progress, R, void> | AsyncGenerator<Progress, R, void>;

/** A mark of a plot spec: plain data, drawn by the playground (Observable Plot) and the CLI (SVG/PNG). */
export type PlotMark =
  | { readonly type: "line"; readonly x: readonly number[]; readonly y: readonly number[]; readonly series?: string; readonly dash?: boolean }
  | { readonly type: "dot"; readonly x: readonly number[]; readonly y: readonly number[]; readonly series?: string; readonly r?: readonly number[] }
  | { readonly type: "band"; readonly x: readonly number[]; readonly y1: readonly number[]; readonly y2: readonly number[]; readonly series?: string }
  | { readonly type: "rule"; readonly x?: number; readonly y?: number; readonly series?: string }
  /** A function sampled on a regular grid (row-major, x fastest, y from y0 up): heat map with optional contours. */
  | { readonly type: "raster"; readonly nx: number; readonly ny: number; readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number; readonly values: readonly number[]; readonly contours?: number }
  | { readonly type: "bar"; readonly x: readonly string[]; readonly y: readonly number[]; readonly series?: string }
  /** Labels at points (minima, annotations). */
  | { readonly type: "text"; readonly x: readonly number[]; readonly y: readonly number[]; readonly text: readonly string[] };

/** One figure of a result. */
export interface PlotFigure {
  /** File-name-safe id, e.g. "loss" → plots/loss.svg. */
  readonly name: string;
  readonly title: string;
  readonly x: { readonly label: string; readonly type?: "linear" | "log"; readonly domain?: readonly [number, number] };
  readonly y: { readonly label: string; readonly type?: "linear" | "log"; readonly domain?: readonly [number, number] };
  readonly marks: readonly PlotMark[];
}

/**
 * A grid the figure is made of (fig 9.5's panels): what `regularize sweep <id>` runs when no
 * `--grid` is given. Trials = the Cartesian product of `grid` × seeds, on top of `params`.
 */
export interface SweepSpec {
  /** File-name-safe panel name, e.g. "lr". */
  readonly name: string;
  readonly title: string;
  /** Fixed params of every trial of the panel. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Param → values; trials are their Cartesian product. */
  readonly grid: Readonly<Record<string, readonly (number | string | boolean)[]>>;
  /** Seeds per grid point (param `seed` = 0 … seeds − 1); default 1. */
  readonly seeds?: number;
}

/** One finished trial of a sweep, as sweep plots receive it. */
export interface SweepTrial<R = unknown> {
  readonly params: Readonly<Record<string, unknown>>;
  readonly result: R;
}

/** A params schema: a valibot object schema whose entries carry the chapter's defaults and ranges. */
export type ParamsSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

/** One experiment of the chapter: data plus one function. */
export interface Experiment<S extends ParamsSchema = ParamsSchema, R = unknown> {
  /** Stable id: "fig9.2", "notebook9.3", "mnist1d". */
  readonly id: string;
  readonly title: string;
  /** What it reproduces, e.g. "Figure 9.2, eq. 9.5". */
  readonly reproduces: string;
  /** One-paragraph description (CLI `list`, playground captions). */
  readonly description?: string;
  /** Params with defaults and ranges; `runExperiment` validates against it. */
  readonly params: S;
  /**
   * Loads the implementation lazily, so importing the registry (schemas, titles) stays light for the
   * playground's first route; the heavy engine code is fetched when a run starts.
   */
  readonly load: () => Promise<(params: v.InferOutput<S>, ctx: RunContext) => ExperimentRun<R>>;
  /** The run passes `ctx.plugins` (any catalog plugin) to its training; others reject `--plugin`. */
  readonly acceptsPlugins?: boolean;
  /** The run saves a checkpoint on abort (and periodically) to `ctx.checkpoint` and continues from it bit for bit. */
  readonly resumable?: boolean;
  /** Figures of a result (CLI plots/*.svg, the playground's exports). */
  readonly plots?: (result: R, params: v.InferOutput<S>) => readonly PlotFigure[];
  /** The grids the figure is made of (fig 9.5's panels), for `regularize sweep <id>`. */
  readonly sweeps?: readonly SweepSpec[];
  /** Figures of a finished sweep (fig 9.5's error vs width curves), from its ok trials. */
  readonly sweepPlots?: (trials: readonly SweepTrial<R>[], sweep: SweepSpec | undefined) => readonly PlotFigure[];
}

/** Identity helper that keeps the params type of an entry. */
export function defineExperiment<S extends ParamsSchema, R>(e: Experiment<S, R>): Experiment<S, R> {
  // a registry entry is checked where it is written, not when a user first runs it
  if (e === null || typeof e !== "object" || Array.isArray(e)) throw new ExperimentError(`defineExperiment: the entry must be an object { id, title, reproduces, params, load }, got ${describeValue(e)}`);
  for (const k of ["id", "title", "reproduces"] as const) {
    if (typeof e[k] !== "string" || e[k] === "") throw new ExperimentError(`defineExperiment: ${k} must be a non-empty string, got ${describeValue(e[k])}`);
  }
  const entries = (e.params as { entries?: unknown } | null | undefined)?.entries;
  if (entries === null || typeof entries !== "object") throw new ExperimentError(`defineExperiment(${e.id}): params must be a valibot object schema`);
  if (typeof e.load !== "function") throw new ExperimentError(`defineExperiment(${e.id}): load must be a function returning the run, got ${describeValue(e.load)}`);
  return e;
}
