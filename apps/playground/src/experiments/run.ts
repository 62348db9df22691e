/**
 * Experiments are pure generator functions: they yield progress reports between steps and return
 * their result. The worker drives them (checking a cancel flag between yields); the unit tests
 * simply drain them. No DOM here.
 */
export interface Progress {
  /** Completed fraction in [0, 1]. */
  readonly fraction: number;
  /** Short human-readable status, e.g. "iteration 5000 / 200000". */
  readonly message?: string;
  /** Scalar metrics of this report (`step` drives the playground's steps/s). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Optional partial result the panel may draw while the run continues (e.g. a live loss curve). */
  readonly partial?: unknown;
}

/** A synchronous experiment (pure computation) or an asynchronous one (e.g. built on core-train's `fit`). */
export type ExperimentRun<R> = Generator<Progress, R, void>;
export type AsyncExperimentRun<R> = AsyncGenerator<Progress, R, void>;
export type AnyExperimentRun<R> = ExperimentRun<R> | AsyncExperimentRun<R>;

/** What the runner hands an experiment besides its parameters. */
export interface RunContext {
  /** Aborted when the run is cancelled (async experiments pass it on, e.g. to `fit`). */
  readonly signal?: AbortSignal;
}

/** Run a synchronous experiment to completion, ignoring progress (tests, scripts). */
export function drain<R>(run: Generator<Progress, R, void>): R {
  for (;;) {
    const r = run.next();
    if (r.done) return r.value;
  }
}

/** Run any experiment to completion; `onProgress` sees every report. */
export async function drainAsync<R>(run: AnyExperimentRun<R>, onProgress?: (p: Progress) => void): Promise<R> {
  for (;;) {
    const r = await run.next();
    if (r.done) return r.value;
    onProgress?.(r.value);
  }
}

/** A function sampled on a regular 2-D grid, row-major with x varying fastest and y from y0 upwards. */
export interface Grid2d {
  readonly nx: number;
  readonly ny: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly values: Float64Array;
}

/** Grid coordinates: x = x0 + i·(x1 − x0)/(nx − 1). */
export function gridX(g: Pick<Grid2d, "nx" | "x0" | "x1">, i: number): number {
  return g.x0 + (i * (g.x1 - g.x0)) / (g.nx - 1);
}
export function gridY(g: Pick<Grid2d, "ny" | "y0" | "y1">, j: number): number {
  return g.y0 + (j * (g.y1 - g.y0)) / (g.ny - 1);
}

export type Point = readonly [number, number];

/**
 * Adapts a promise-based computation that reports progress through a callback (e.g. core-train's
 * `fit` with `onProgress`) to an async experiment generator: yields every report as it arrives.
 */
export async function* withProgress<R>(start: (report: (p: Progress) => void) => Promise<R>): AsyncExperimentRun<R> {
  const queue: Progress[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  const report = (p: Progress) => {
    queue.push(p);
    wake?.();
  };
  const done = start(report).finally(() => {
    finished = true;
    wake?.();
  });
  done.catch(() => undefined); // surfaced by the await below
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (finished) return await done;
    await new Promise<void>((resolve) => { wake = resolve; });
    wake = null;
  }
}
