import { hostname } from "node:os";
import { Worker } from "bullmq";
import { entryFile } from "../entry-files.ts";
import { probeRedis } from "./connect.ts";
import type { QueueTarget } from "./queue-url.ts";
import { LOCK_DURATION_MS, MAX_STALLED_COUNT, QUEUE_NAME, QUEUE_PREFIX, STALLED_INTERVAL_MS } from "./settings.ts";

/** Options of `regularize worker`. */
export interface WorkerFlags {
  readonly concurrency: number;
  /** Lock duration and stalled-check interval in ms (defaults: settings.ts; tests and the load test shorten them). */
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
}

/**
 * `regularize worker`: process trials from the queue in sandboxed worker threads. SIGTERM/SIGINT
 * finishes the current trials and exits 0; a second signal hands them back to the queue (another
 * worker picks them up at once) and exits 0.
 */
export async function workerCommand(target: QueueTarget, flags: WorkerFlags): Promise<number> {
  await probeRedis(target);
  const name = `${hostname()}:${process.pid}`;
  const lockDuration = flags.lockDuration ?? LOCK_DURATION_MS;
  const worker = new Worker(QUEUE_NAME, entryFile("ts-processor.mjs", "queue-processor.js"), {
    connection: target.connection,
    prefix: QUEUE_PREFIX,
    name,
    concurrency: flags.concurrency,
    useWorkerThreads: true,
    lockDuration,
    stalledInterval: flags.stalledInterval ?? STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
    drainDelay: 1,
  });
  let done = 0, failed = 0;
  worker.on("completed", (_job, value: { status?: string }) => { if (value?.status === "ok") done++; else failed++; });
  // a lost connection repeats its error on every reconnect attempt: print each distinct message once a minute
  const lastPrinted = new Map<string, number>();
  worker.on("error", (err) => {
    const now = Date.now();
    if (now - (lastPrinted.get(err.message) ?? 0) < 60_000) return;
    lastPrinted.set(err.message, now);
    console.error(`worker ${name}: ${err.message}`);
  });
  await worker.waitUntilReady();
  console.log(`worker ${name}: serving ${target.redacted} queue "${QUEUE_NAME}" with concurrency ${flags.concurrency} (lock ${lockDuration / 1000} s)`);
  return await new Promise<number>((resolve) => {
    let signals = 0;
    const stop = (sig: string) => {
      signals++;
      if (signals === 1) {
        console.log(`worker ${name}: ${sig}: finishing the current trial (send it again to hand it back)`);
        void worker.close().then(() => {
          console.log(`worker ${name}: stopped (${done} ok, ${failed} failed)`);
          resolve(0);
        });
      } else if (signals === 2) {
        console.log(`worker ${name}: ${sig}: handing the current trial back to the queue`);
        worker.cancelAllJobs("shutdown");
      } else {
        process.exit(0);
      }
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  });
}
