import { Job, Queue, QueueEvents } from "bullmq";
import type { QueueRunner } from "../sweep/sweep-command.ts";
import type { Trial, TrialOutcome } from "../sweep/trial.ts";
import { QueueConnectionError } from "./connect.ts";
import type { QueueTarget } from "./queue-url.ts";
import { ATTEMPTS, BACKOFF_MS, QUEUE_NAME, QUEUE_PREFIX } from "./settings.ts";

/** A job's return value as a trial outcome; anything else from a worker is a failed trial. */
export function outcomeOf(value: unknown): TrialOutcome {
  let v = value;
  if (typeof v === "string") {
    try { v = JSON.parse(v); } catch { /* not JSON: rejected below */ }
  }
  const o = v as Partial<{ status: string; result: unknown; error: unknown }> | null;
  if (o && o.status === "ok" && "result" in o) return { status: "ok", result: o.result };
  if (o && o.status === "failed") return { status: "failed", error: String(o.error).slice(0, 10_000) };
  return { status: "failed", error: "worker returned a malformed outcome" };
}

/** The outcome of a job that failed in BullMQ (every try crashed or stalled): all its errors, once. */
export async function failedOutcome(job: Job | undefined, reason: string): Promise<TrialOutcome> {
  const tries = (job?.stacktrace ?? []).map((s, i) => `try ${i + 1}: ${s.split("\n")[0]}`);
  return { status: "failed", error: `failed after ${job?.attemptsMade ?? "?"} tries: ${tries.length ? tries.join(" | ") : reason}`.slice(0, 10_000) };
}

/**
 * The BullMQ side of `regularize sweep --queue`: enqueue each trial as a job whose id is the trial id
 * (BullMQ ignores a second add of the same id, and a trial finished earlier is collected from its
 * job), then collect outcomes from the queue's events, with a periodic reconciliation of the
 * pending jobs so nothing is missed. Outcomes are reported once per trial.
 */
export function queueRunner(target: QueueTarget, opts: { retryFailed?: boolean } = {}): QueueRunner {
  return async (trials, run) => {
    try {
      await collect(target, trials, run, opts.retryFailed ?? false);
    } catch (err) {
      if (err instanceof QueueConnectionError) throw err;
      // Redis went away mid-sweep (ioredis gives up after ~30 s of reconnects): one line, exit 2, finished trials kept
      throw new QueueConnectionError(`lost Redis at ${target.redacted} mid-sweep (${(err as Error).message.split("\n")[0]}); finished trials are kept: run the same command again to resume`);
    }
  };
}

async function collect(target: QueueTarget, trials: Parameters<QueueRunner>[0], { onOutcome, signal, onProgress }: Parameters<QueueRunner>[1], retryFailed: boolean): Promise<void> {
  {
    const opts = { connection: target.connection, prefix: QUEUE_PREFIX };
    const queue = new Queue(QUEUE_NAME, opts);
    const events = new QueueEvents(QUEUE_NAME, opts);
    queue.on("error", () => {});
    events.on("error", () => {});
    const pending = new Map(trials.map((t) => [t.id, t]));
    const settle = (id: string, o: TrialOutcome) => {
      const t = pending.get(id);
      if (!t) return; // not ours, or already stored: a trial completed twice is stored once
      pending.delete(id);
      onOutcome(t, o);
    };
    let wake: () => void = () => {};
    const check = async (ids: readonly string[]) => {
      for (let i = 0; i < ids.length; i += 500) {
        const jobs = await Promise.all(ids.slice(i, i + 500).map((id) => Job.fromId(queue, id)));
        for (const job of jobs) {
          if (!job?.id || !pending.has(job.id)) continue;
          if (job.finishedOn && job.returnvalue !== undefined && job.returnvalue !== null && !job.failedReason) {
            const o = outcomeOf(job.returnvalue);
            if (retryFailed && o.status === "failed") await job.retry("completed");
            else settle(job.id, o);
          }
          else if (job.finishedOn && job.failedReason) {
            if (retryFailed) await job.retry("failed");
            else settle(job.id, await failedOutcome(job, job.failedReason));
          }
        }
      }
    };
    try {
      events.on("completed", ({ jobId, returnvalue }) => { settle(jobId, outcomeOf(returnvalue)); wake(); });
      events.on("failed", ({ jobId, failedReason }) => {
        if (!pending.has(jobId)) return;
        void Job.fromId(queue, jobId).then(async (job) => { settle(jobId, await failedOutcome(job, failedReason)); wake(); }, () => {});
      });
      await events.waitUntilReady();
      await queue.waitUntilReady();
      // trials finished before (an earlier coordinator, other sweeps) are collected, not re-run
      await check([...pending.keys()]);
      const toAdd = [...pending.values()];
      for (let i = 0; i < toAdd.length; i += 500) {
        await queue.addBulk(toAdd.slice(i, i + 500).map((t) => ({
          name: t.experiment,
          data: { id: t.id, experiment: t.experiment, params: t.params, seed: t.seed },
          opts: { jobId: t.id, attempts: ATTEMPTS, backoff: { type: "exponential", delay: BACKOFF_MS }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
        })));
      }
      let lastReconcile = Date.now();
      while (pending.size > 0 && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const done = () => { clearTimeout(t); signal.removeEventListener("abort", done); wake = () => {}; resolve(); };
          const t = setTimeout(done, 1000);
          wake = done;
          signal.addEventListener("abort", done, { once: true });
        });
        if (signal.aborted) break;
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
        const workers = await queue.getWorkersCount().catch(() => NaN);
        onProgress(`waiting ${counts.waiting! + counts.prioritized! + counts.delayed!}, active ${counts.active}, workers ${workers}`);
        if (Date.now() - lastReconcile > 5000) {
          lastReconcile = Date.now();
          await check([...pending.keys()]);
        }
      }
    } finally {
      await events.close().catch(() => {});
      await queue.close().catch(() => {});
    }
  };
}
