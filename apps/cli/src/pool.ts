import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** Options of runPool. */
export interface PoolOptions<R> {
  /** The worker module (a .ts module runs through tsx, for development and tests). */
  readonly workerUrl: URL;
  /** Number of worker threads (default: available cores, at most the number of tasks). */
  readonly workers?: number;
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

/**
 * Run independent tasks (plain, structured-cloneable descriptors) on a pool of worker threads and
 * return the results in task order. Each task is a pure function of its descriptor (seeded), so the
 * results are identical to a serial run whatever the scheduling.
 */
export async function runPool<T, R>(tasks: readonly T[], opts: PoolOptions<R>): Promise<R[]> {
  const n = Math.max(1, Math.min(opts.workers ?? availableParallelism(), tasks.length));
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
      feed(w);
    }
  });
}

/** Serve tasks in a worker module: call once at the top level of the worker with the task handler. */
export async function serveTasks<T, R>(handler: (task: T) => R | Promise<R>): Promise<void> {
  const { parentPort } = await import("node:worker_threads");
  if (!parentPort) throw new Error("serveTasks: not running in a worker thread");
  const port = parentPort;
  port.on("message", async (msg: { id: number; task: T }) => {
    try {
      port.postMessage({ id: msg.id, result: await handler(msg.task) });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ id: msg.id, error: { message: err.message, ...(err.stack ? { stack: err.stack } : {}) } });
    }
  });
}
