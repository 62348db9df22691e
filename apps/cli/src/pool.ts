import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** Options of runPool. */
export interface PoolOptions<R> {
  /** The worker module (a .ts module runs through tsx, for development and tests). */
  readonly workerUrl: URL;
  /** Number of worker threads (default: available cores, at most the number of tasks). */
  readonly workers?: number;
  /**
   * Shared input every worker receives once, before its first task (structured-cloneable), e.g. a
   * dataset the tasks all read. It is computed here in the parent after the workers are spawned,
   * so computing it overlaps their start-up, and it is computed once instead of once per worker.
   * The worker module receives it through `serveTasks`'s `init`.
   */
  readonly init?: () => unknown;
  /** Called as each task finishes (completion order), e.g. to advance a progress bar. */
  readonly onResult?: (index: number, result: R) => void;
  /** Cancels the remaining tasks and terminates the workers. */
  readonly signal?: AbortSignal;
}

interface Reply<R> {
  readonly id: number;
  readonly result?: R;
  readonly error?: { message: string; stack?: string };
}

/** Number of workers runPool starts for `tasks` tasks when asked for `workers` (default: every core). */
export function poolSize(tasks: number, workers?: number): number {
  return Math.max(1, Math.min(workers ?? availableParallelism(), tasks));
}

/**
 * Run independent tasks (plain, structured-cloneable descriptors) on a pool of worker threads and
 * return the results in task order. Each task is a pure function of its descriptor (seeded), so the
 * results are identical to a serial run whatever the scheduling.
 *
 * Scheduling: every worker is spawned at once (their start-ups overlap), then each is fed one task
 * at a time from a shared queue as it finishes the previous one, so no worker idles while tasks
 * remain; the only idle time is the tail, when fewer tasks than workers are left.
 */
export async function runPool<T, R>(tasks: readonly T[], opts: PoolOptions<R>): Promise<R[]> {
  const n = poolSize(tasks.length, opts.workers);
  const results = new Array<R>(tasks.length);
  if (tasks.length === 0) return results;
  const isTs = opts.workerUrl.pathname.endsWith(".ts");
  const entry = isTs ? new URL("./ts-worker.mjs", import.meta.url) : opts.workerUrl;
  const workerOpts = isTs ? { workerData: { tsEntry: opts.workerUrl.href }, execArgv: ["--conditions=source"] } : {};
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  return await new Promise<R[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    opts.signal?.addEventListener("abort", () => finish(new Error("runPool: aborted")), { once: true });
    const feed = (w: Worker) => {
      if (next >= tasks.length) return;
      const id = next++;
      w.postMessage({ id, task: tasks[id] });
    };
    // spawn every worker first: their threads load their modules while the parent prepares `init`
    for (let i = 0; i < n; i++) {
      const w = new Worker(entry, workerOpts);
      workers.push(w);
      w.on("message", (msg: Reply<R>) => {
        if (msg.error) {
          finish(new Error(`task ${msg.id} failed: ${msg.error.message}`));
          return;
        }
        results[msg.id] = msg.result as R;
        opts.onResult?.(msg.id, msg.result as R);
        done++;
        if (done === tasks.length) finish();
        else feed(w);
      });
      w.on("error", (e) => finish(e instanceof Error ? e : new Error(String(e))));
      w.on("exit", (code) => {
        if (!settled && code !== 0) finish(new Error(`runPool: a worker exited with code ${code}`));
      });
    }
    let init: unknown;
    try {
      init = opts.init?.();
    } catch (e) {
      finish(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    for (const w of workers) {
      if (opts.init) w.postMessage({ init });
      feed(w);
    }
  });
}

/**
 * Serve tasks in a worker module: call once at the top level of the worker with the task handler.
 * `init` receives the pool's shared input (PoolOptions.init) before the first task.
 */
export async function serveTasks<T, R, I = unknown>(handler: (task: T) => R | Promise<R>, opts: { init?: (data: I) => void } = {}): Promise<void> {
  const { parentPort } = await import("node:worker_threads");
  if (!parentPort) throw new Error("serveTasks: not running in a worker thread");
  const port = parentPort;
  port.on("message", async (msg: { id: number; task: T } | { init: I }) => {
    if ("init" in msg) {
      // an init failure surfaces as the worker's error event, which fails the pool
      opts.init?.(msg.init);
      return;
    }
    try {
      port.postMessage({ id: msg.id, result: await handler(msg.task) });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ id: msg.id, error: { message: err.message, ...(err.stack ? { stack: err.stack } : {}) } });
    }
  });
}
