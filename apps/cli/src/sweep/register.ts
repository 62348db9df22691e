import { Command, InvalidArgumentError, Option } from "commander";
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { UnknownExperimentError } from "@regularize/experiments";
import { QueueConnectionError } from "../queue/connection-error.ts";
import { QueueUrlError, parseQueueUrl, queueUrlFrom, scrubOutput, type QueueTarget } from "../queue/queue-url.ts";
import { TrialPayloadError } from "./payload.ts";
import { SweepPlanError, buildSpecs, planTrials } from "./plan.ts";
import { EXIT } from "../usage-error.ts";

function int(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}], got "${v}"`);
    return n;
  };
}
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Errors that are the user's input or environment, not a bug: one line, exit code 2, no stack trace. */
function isUsageError(err: unknown): boolean {
  return err instanceof SweepPlanError || err instanceof QueueUrlError || err instanceof QueueConnectionError || err instanceof TrialPayloadError || err instanceof UnknownExperimentError;
}

async function guarded(command: string, fn: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await fn();
  } catch (err) {
    if (!isUsageError(err)) throw err;
    console.error(`regularize ${command}: ${(err as Error).message}`);
    process.exitCode = EXIT.usage;
  }
}

/** Resolve and parse the queue URL (flag, else REGULARIZE_QUEUE), and scrub its password from all output. */
function target(flag: string | true | undefined, tlsCa: string | undefined, required: boolean): QueueTarget | undefined {
  const url = queueUrlFrom(typeof flag === "string" ? flag : undefined);
  if (url === undefined) {
    if (required || flag === true) throw new QueueUrlError("no queue: pass --queue redis://[user:password@]host:port[/db] or set REGULARIZE_QUEUE");
    return undefined;
  }
  const t = parseQueueUrl(url, tlsCa ? { tlsCa } : {});
  scrubOutput(t.secret);
  return t;
}

const queueHelp = "Redis URL redis://[user:password@]host:port[/db] or rediss://… (TLS); without a value, or absent for worker/status: $REGULARIZE_QUEUE";

/** Add `sweep`, `worker` and `status` to the program. */
export function registerSweepCommands(program: Command): void {
  program
    .command("sweep")
    .description("run an experiment over a grid of params × seeds on every core (or on a Redis/BullMQ queue); results in OUT/results.jsonl, resumable")
    .argument("<experiment|config.json>", "a registry id (see `regularize list`) or a JSON file { experiment, params, grid, seeds }")
    .option("--grid <key=v1,v2,...>", "a param and its values (repeatable; the grid is their product)", collect)
    .option("--set <key=value>", "a fixed param (repeatable)", collect)
    .option("--seeds <n>", "seeds per grid point: seed, seed + 1, … (seed param, default 0)", int("--seeds", 1, 100_000))
    .option("--workers <n>", "worker threads of the local pool (default: every core)", int("--workers", 1, 1024))
    .option("--out <dir>", "run folder (default runs/sweep-<experiment>-<hash of the trials>)")
    .addOption(new Option("--queue [url]", queueHelp))
    .option("--tls-ca <file>", "PEM file of the CA that signed the Redis server's certificate (rediss://)")
    .option("--sweep <name>", "a sweep preset of the experiment (repeatable; default: its reduced presets, e.g. fig9.5's lr and batch panels)", collect)
    .option("--retry-failed", "run trials recorded as failed again (default: resume skips every recorded trial)")
    .action(async (targetArg: string, o: { grid?: string[]; set?: string[]; seeds?: number; workers?: number; out?: string; queue?: string | true; tlsCa?: string; retryFailed?: boolean; sweep?: string[] }) => {
      await guarded("sweep", async () => {
        const q = target(o.queue, o.tlsCa, false);
        let out = o.out;
        if (out === undefined) {
          const specs = buildSpecs(targetArg, { ...(o.set ? { set: o.set } : {}), ...(o.grid ? { grid: o.grid } : {}), ...(o.seeds !== undefined ? { seeds: o.seeds } : {}), ...(o.sweep ? { sweep: o.sweep } : {}) });
          const hash = createHash("sha256").update(specs.flatMap((s) => planTrials(s)).map((t) => t.id).join(",")).digest("hex").slice(0, 8);
          out = `runs/sweep-${specs[0]!.experiment.replace(/[^A-Za-z0-9._-]/g, "_")}-${hash}`;
        }
        // the pool, progress bar and plot writer load only for a sweep (start-up time of the other commands)
        const { sweepCommand } = await import("./sweep-command.ts");
        return await sweepCommand(targetArg, {
          out,
          ...(o.grid ? { grid: o.grid } : {}), ...(o.set ? { set: o.set } : {}), ...(o.seeds !== undefined ? { seeds: o.seeds } : {}),
          ...(o.workers !== undefined ? { workers: o.workers } : {}), ...(o.retryFailed ? { retryFailed: true } : {}), ...(o.sweep ? { sweep: o.sweep } : {}),
          ...(q ? { queue: q.redacted } : {}),
        }, q ? { redactedQueue: q.redacted, queueRunner: async () => {
          const { probeRedis } = await import("../queue/connect.ts");
          await probeRedis(q);
          return (await import("../queue/coordinator.ts")).queueRunner(q, { retryFailed: o.retryFailed ?? false });
        } } : {});
      });
    });

  program
    .command("worker")
    .description("process sweep trials from a Redis/BullMQ queue (sandboxed worker threads); SIGTERM finishes the current trial, a second hands it back")
    .addOption(new Option("--queue <url>", queueHelp))
    .option("--tls-ca <file>", "PEM file of the CA that signed the Redis server's certificate (rediss://)")
    .option("--concurrency <n>", "trials at a time (default: every core)", int("--concurrency", 1, 256), availableParallelism())
    .option("--lock-duration <ms>", "how long a trial's lock lives without renewal (default 20000; a dead worker's trial is picked up after at most lock + stalled interval)", int("--lock-duration", 1000, 600_000))
    .option("--stalled-interval <ms>", "how often this worker looks for trials of dead workers (default 10000)", int("--stalled-interval", 500, 600_000))
    .action(async (o: { queue?: string; tlsCa?: string; concurrency: number; lockDuration?: number; stalledInterval?: number }) => {
      await guarded("worker", async () => {
        const q = target(o.queue, o.tlsCa, true)!;
        const { workerCommand } = await import("../queue/worker-command.ts");
        return await workerCommand(q, { concurrency: o.concurrency, ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}), ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}) });
      });
    });

  program
    .command("status")
    .description("live counts of the sweep queue: waiting / active / completed / failed, per-worker throughput, ETA")
    .addOption(new Option("--queue <url>", queueHelp))
    .option("--tls-ca <file>", "PEM file of the CA that signed the Redis server's certificate (rediss://)")
    .option("--out <dir>", "a sweep's run folder: also count that sweep's trials")
    .option("--once", "print one snapshot and exit")
    .option("--json", "print snapshots as JSON lines")
    .option("--interval <s>", "seconds between refreshes", int("--interval", 1, 3600), 2)
    .action(async (o: { queue?: string; tlsCa?: string; out?: string; once?: boolean; json?: boolean; interval: number }) => {
      await guarded("status", async () => {
        const q = target(o.queue, o.tlsCa, true)!;
        const { statusCommand } = await import("../queue/status-command.ts");
        return await statusCommand(q, { interval: o.interval, ...(o.out ? { out: o.out } : {}), ...(o.once ? { once: true } : {}), ...(o.json ? { json: true } : {}) });
      });
    });
}
