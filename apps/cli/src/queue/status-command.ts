import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { readResults } from "../sweep/results-file.ts";
import { probeRedis } from "./connect.ts";
import type { QueueTarget } from "./queue-url.ts";
import { QUEUE_NAME, QUEUE_PREFIX } from "./settings.ts";

/** One snapshot of the queue (and of a sweep's folder when given). */
export interface StatusSnapshot {
  readonly counts: Readonly<Record<"waiting" | "active" | "delayed" | "completed" | "failed", number>>;
  /** Trials finished per worker over the last `windowS` seconds. */
  readonly workers: ReadonlyArray<{ readonly name: string; readonly trials: number; readonly perSecond: number }>;
  readonly windowS: number;
  /** The sweep of --out: its trials, how many are finished (ok / failed, from the queue and results.jsonl). */
  readonly sweep?: { readonly total: number; readonly ok: number; readonly failed: number };
  /** Seconds until the remaining trials are done at the recent rate (undefined: no rate yet). */
  readonly etaS?: number;
}

/** Take one snapshot: counts, per-worker throughput over the last minute, the ETA. */
export async function statusSnapshot(queue: Queue, outDir?: string, windowS = 60): Promise<StatusSnapshot> {
  const c = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed");
  const counts = { waiting: c.waiting! + c.prioritized!, active: c.active!, delayed: c.delayed!, completed: c.completed!, failed: c.failed! };
  const now = Date.now();
  const recent = (await queue.getJobs(["completed", "failed"], 0, 4999, false)).filter((j) => (j.finishedOn ?? 0) > now - windowS * 1000);
  const per = new Map<string, number>();
  for (const j of recent) per.set(j.processedBy ?? "?", (per.get(j.processedBy ?? "?") ?? 0) + 1);
  const workers = [...per.entries()].sort().map(([name, trials]) => ({ name, trials, perSecond: trials / windowS }));
  let sweep: StatusSnapshot["sweep"];
  let remaining = counts.waiting + counts.active + counts.delayed;
  if (outDir) {
    const plan = join(outDir, "sweep.json");
    if (!existsSync(plan)) throw new Error(`--out ${outDir}: no sweep.json (not a sweep folder)`);
    const ids = (JSON.parse(readFileSync(plan, "utf8")) as { trials: string[] }).trials;
    const stored = readResults(join(outDir, "results.jsonl")).byId;
    let ok = 0, failed = 0;
    const states = await Promise.all(ids.map((id) => (stored.has(id) ? Promise.resolve(stored.get(id)!.status === "ok" ? "stored-ok" : "stored-failed") : queue.getJobState(id))));
    for (const s of states) {
      if (s === "stored-ok" || s === "completed") ok++;
      else if (s === "stored-failed" || s === "failed") failed++;
    }
    sweep = { total: ids.length, ok, failed };
    remaining = ids.length - ok - failed;
  }
  const rate = recent.length / windowS;
  return { counts, workers, windowS, ...(sweep ? { sweep } : {}), ...(rate > 0 ? { etaS: remaining / rate } : remaining === 0 ? { etaS: 0 } : {}) };
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}`;

/** A snapshot as text lines. */
export function formatStatus(s: StatusSnapshot, redacted: string): string {
  const lines = [`queue ${redacted} "${QUEUE_NAME}": waiting ${s.counts.waiting}, active ${s.counts.active}, delayed ${s.counts.delayed}, completed ${s.counts.completed}, failed ${s.counts.failed}`];
  if (s.sweep) lines.push(`sweep: ${s.sweep.ok + s.sweep.failed} / ${s.sweep.total} finished (${s.sweep.ok} ok, ${s.sweep.failed} failed)`);
  if (s.workers.length === 0) lines.push(`workers: none finished a trial in the last ${s.windowS} s`);
  for (const w of s.workers) lines.push(`  ${w.name}: ${w.trials} trials in the last ${s.windowS} s (${w.perSecond.toFixed(2)}/s)`);
  lines.push(`eta: ${s.etaS === undefined ? "unknown (no trial finished in the last minute)" : clock(s.etaS)}`);
  return lines.join("\n");
}

/** `regularize status`: print snapshots every `intervalS` seconds (once with `once`) until Ctrl-C. */
export async function statusCommand(target: QueueTarget, flags: { out?: string; once?: boolean; interval: number; json?: boolean }): Promise<number> {
  await probeRedis(target);
  const queue = new Queue(QUEUE_NAME, { connection: target.connection, prefix: QUEUE_PREFIX });
  queue.on("error", () => {});
  let stop = false;
  const onSig = () => { stop = true; };
  process.on("SIGINT", onSig);
  process.on("SIGTERM", onSig);
  try {
    const tty = process.stdout.isTTY && !flags.once && !flags.json;
    let prevLines = 0;
    for (;;) {
      const snap = await statusSnapshot(queue, flags.out);
      const text = flags.json ? JSON.stringify(snap) : formatStatus(snap, target.redacted);
      if (tty && prevLines > 0) process.stdout.write(`\x1b[${prevLines}A\x1b[J`);
      process.stdout.write(text + "\n");
      prevLines = text.split("\n").length;
      if (flags.once || stop) break;
      await new Promise((r) => setTimeout(r, flags.interval * 1000));
      if (stop) break;
    }
  } finally {
    process.off("SIGINT", onSig);
    process.off("SIGTERM", onSig);
    await queue.close().catch(() => {});
  }
  return 0;
}
