import { setMaxListeners } from "node:events";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { entryFile } from "../entry-files.ts";
import type { Trial, TrialOutcome } from "./trial.ts";

/** How many times a trial whose worker thread died (process.exit, a crash) is tried in all. */
export const MAX_ATTEMPTS = 3;

/** Options of runLocalPool. */
export interface LocalPoolOptions {
  /** Worker threads (default: every core, at most the number of trials). */
  readonly workers?: number;
  /** Called once per trial as it finishes, in completion order. */
  readonly onOutcome: (trial: Trial, outcome: TrialOutcome) => void;
  /** Aborts: queued trials never start, running ones are stopped (their threads terminated). */
  readonly signal?: AbortSignal;
  /** The piscina worker module (tests substitute their own); default the sweep's pool worker. */
  readonly workerFile?: string;
}

/**
 * Run trials on a piscina pool of worker threads (every core by default). Each trial is a pure
 * function of its content (seeded), so outcomes are bit-identical to a serial run whatever the
 * scheduling. A thread that dies mid-trial (process.exit, an uncaught crash) is replaced by piscina
 * and its trial runs again, up to MAX_ATTEMPTS in all; then it is `failed` with every error.
 */
export async function runLocalPool(trials: readonly Trial[], opts: LocalPoolOptions): Promise<void> {
  if (trials.length === 0) return;
  const threads = Math.max(1, Math.min(opts.workers ?? availableParallelism(), trials.length));
  // every queued run listens to the one abort signal
  if (opts.signal) setMaxListeners(trials.length + 16, opts.signal);
  const file = opts.workerFile ?? entryFile("sweep/pool-worker.ts", "pool-worker.js");
  const ts = file.endsWith(".ts");
  const pool = new Piscina<Trial, TrialOutcome>({
    filename: ts ? pathToFileURL(entryFile("ts-worker.mjs", "ts-worker.mjs")).href : pathToFileURL(file).href,
    ...(ts ? { workerData: { tsEntry: pathToFileURL(file).href }, execArgv: ["--conditions=source"] } : {}),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  // a worker module that cannot load fails the sweep instead of leaving its tasks pending forever
  const broken = new Promise<never>((_, reject) => pool.once("error", (err: Error) => reject(new Error(`sweep pool: a worker failed to start: ${err.message}`))));
  try {
    await Promise.race([broken, Promise.all(trials.map(async (trial) => {
      const errors: string[] = [];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        if (opts.signal?.aborted) return;
        try {
          const outcome = await pool.run(trial, opts.signal ? { signal: opts.signal } : {});
          opts.onOutcome(trial, outcome);
          return;
        } catch (err) {
          if (opts.signal?.aborted) return;
          errors.push(`attempt ${attempt}: ${(err as Error).message}`);
        }
      }
      opts.onOutcome(trial, { status: "failed", error: `worker died on every attempt: ${errors.join("; ")}` });
    }))]);
  } finally {
    await pool.destroy();
  }
}
