import { EXIT } from "../usage-error.ts";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { progressBar } from "../progress.ts";
import { runLocalPool } from "./local-pool.ts";
import { SweepPlanError, buildSpecs, planTrials } from "./plan.ts";
import { sweepFigures } from "./plots.ts";
import { writePlots } from "./write-plots.ts";
import { ResultsFile, readResults } from "./results-file.ts";
import { prepareOutDir, writeAtomic } from "./run-folder.ts";
import { summarize, summaryTable } from "./summary.ts";
import type { ResultLine, Trial, TrialOutcome } from "./trial.ts";

/** Flags of `regularize sweep`. */
export interface SweepFlags {
  readonly grid?: readonly string[];
  readonly set?: readonly string[];
  readonly seeds?: number;
  readonly workers?: number;
  readonly out: string;
  /** Redis URL (already resolved from --queue or REGULARIZE_QUEUE). */
  readonly queue?: string;
  readonly tlsCa?: string;
  readonly retryFailed?: boolean;
  /** Sweep presets of the entry to run (default: its reduced ones). */
  readonly sweep?: readonly string[];
}

/** A distributed runner (the BullMQ coordinator), injected so the local path never loads it. */
export type QueueRunner = (trials: readonly Trial[], opts: { onOutcome: (t: Trial, o: TrialOutcome) => void; signal: AbortSignal; onProgress: (line: string) => void }) => Promise<void>;

/** Process exit codes: 0 all ok, 1 some trials failed, 2 bad input / unreachable queue, 130 interrupted. */
export { EXIT };

/**
 * `regularize sweep`: plan and validate every trial, skip those already in DIR/results.jsonl
 * (resume), run the rest on the local pool or the queue, append each outcome as it arrives, then
 * print the summary. Returns the exit code.
 */
export async function sweepCommand(target: string, flags: SweepFlags, deps: { queueRunner?: () => Promise<QueueRunner>; redactedQueue?: string } = {}): Promise<number> {
  const specs = buildSpecs(target, flags);
  const planned = specs.map((spec) => ({ spec, trials: planTrials(spec) }));
  // panels may share trials (fig 9.5's lr 0.1 full-batch column): one id, one run
  const trials = [...new Map(planned.flatMap((p) => p.trials).map((t) => [t.id, t])).values()];
  const spec = specs[0]!;
  prepareOutDir(flags.out);
  // reach the queue (probe: a clear error within seconds) before anything is written
  let runQueue: QueueRunner | undefined;
  if (flags.queue) {
    if (!deps.queueRunner) throw new Error("sweep: no queue runner");
    runQueue = await deps.queueRunner();
  }
  const resultsPath = join(flags.out, "results.jsonl");
  const before = readResults(resultsPath);
  const done = (t: Trial) => {
    const r = before.byId.get(t.id);
    return r !== undefined && (r.status === "ok" || !flags.retryFailed);
  };
  const todo = trials.filter((t) => !done(t));
  const gridKeys = [...new Set(specs.flatMap((s) => s.grid.map(([k]) => k)))];
  writeAtomic(flags.out, "sweep.json", JSON.stringify({
    experiment: spec.experiment,
    sweeps: specs.map((s) => ({ ...(s.panel ? { name: s.panel.name, title: s.panel.title } : {}), params: s.params, grid: Object.fromEntries(s.grid), seeds: s.seeds })),
    mode: flags.queue ? { queue: deps.redactedQueue ?? "(redacted)" } : { workers: flags.workers ?? availableParallelism() },
    trials: trials.map((t) => t.id),
  }, null, 2) + "\n");
  const workers = Math.max(1, Math.min(flags.workers ?? availableParallelism(), Math.max(1, todo.length)));
  const skipped = trials.length - todo.length;
  const shape = specs.map((s) => `${s.panel ? `${s.panel.name}: ` : ""}${s.grid.map(([k, vs]) => `${vs.length} ${k}`).join(" × ")}${s.grid.length ? " × " : ""}${s.seeds} seed${s.seeds === 1 ? "" : "s"}`).join("; ");
  console.log(`sweep ${spec.experiment}: ${trials.length} trials (${shape})` +
    `${skipped ? `, ${skipped} already in ${resultsPath} (skipped)` : ""}${before.skipped ? `, ${before.skipped} torn line(s) ignored` : ""}; ` +
    (flags.queue ? `on the queue ${deps.redactedQueue}` : `on ${workers} worker thread${workers === 1 ? "" : "s"}`));

  const file = new ResultsFile(resultsPath);
  const ac = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(EXIT.interrupted); // a second Ctrl-C: leave now (finished trials are on disk)
    interrupted = true;
    ac.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let ok = 0, failed = 0;
  const bar = progressBar(`sweep ${spec.experiment}`, todo.length);
  const onOutcome = (t: Trial, o: TrialOutcome) => {
    const line: ResultLine = { id: t.id, experiment: t.experiment, params: t.params, seed: t.seed, ...o };
    file.append(line);
    if (o.status === "ok") ok++;
    else failed++;
    bar.update(ok + failed, { info: `ok ${ok}, failed ${failed}` });
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    if (runQueue) {
      await runQueue(todo, { onOutcome, signal: ac.signal, onProgress: (info) => bar.update(ok + failed, { info }) });
    } else {
      await runLocalPool(todo, { workers, onOutcome, signal: ac.signal });
    }
  } finally {
    bar.stop();
    file.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const after = readResults(resultsPath);
  if (interrupted) {
    const kept = trials.filter((t) => after.byId.has(t.id)).length;
    console.error(`interrupted: ${kept} of ${trials.length} trials finished and kept in ${resultsPath}; run the same command again to resume`);
    return EXIT.interrupted;
  }
  const summaries = planned.map(({ spec: s, trials: ts }) => {
    const keys = s.grid.map(([k]) => k);
    const rows = summarize(ts, after.byId, keys);
    if (s.panel) console.log(`\n${s.panel.name}: ${s.panel.title}`);
    console.log(summaryTable(rows, keys));
    return { ...(s.panel ? { sweep: s.panel.name } : {}), grid: keys, rows };
  });
  writeAtomic(flags.out, "summary.json", JSON.stringify(summaries, null, 2) + "\n");
  const figures = planned.flatMap(({ spec: s, trials: ts }) => {
    try {
      return sweepFigures(s, ts, after.byId);
    } catch (err) {
      console.error(`plots: ${(err as Error).message}`);
      return [];
    }
  });
  if (figures.length > 0) {
    const written = await writePlots(flags.out, figures);
    console.log(`plots: ${written.join(", ")}`);
  }
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // the first clause is what bench/src/sweep.ts parses
  console.log(`${todo.length} runs in ${wall.toFixed(1)} s on ${flags.queue ? "the queue" : `${workers} worker${workers === 1 ? "" : "s"}`} ` +
    `(${ok} ok, ${failed} failed; process CPU ${cpuSeconds.toFixed(1)} s = ${(cpuSeconds / Math.max(wall, 1e-9)).toFixed(2)} cores busy of ${availableParallelism()})`);
  const failures = trials.map((t) => after.byId.get(t.id)).filter((r): r is ResultLine & { status: "failed" } => r?.status === "failed");
  const missing = trials.filter((t) => !after.byId.has(t.id)).length;
  console.log(`results: ${resultsPath} (${trials.length - failures.length - missing} ok, ${failures.length} failed${missing ? `, ${missing} missing` : ""})`);
  if (failures.length > 0) {
    console.error(`${failures.length} trial${failures.length === 1 ? "" : "s"} failed:`);
    for (const f of failures.slice(0, 20)) console.error(`  ${f.id} ${JSON.stringify(Object.fromEntries(gridKeys.map((k) => [k, f.params[k]])))} seed ${f.seed}: ${f.error.slice(0, 300)}`);
    if (failures.length > 20) console.error(`  … and ${failures.length - 20} more (see ${resultsPath})`);
    return EXIT.failed;
  }
  return missing > 0 ? EXIT.failed : EXIT.ok;
}

export { SweepPlanError };
